package io.mcpgw.server.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.server.jsonrpc.ClientText;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import io.mcpgw.server.session.LogLevel;
import io.mcpgw.server.session.Sessionless;
import java.util.Optional;

/**
 * The per-request fields of MCP 2026-07-28 in a request's {@code params._meta}: its revision, its client's
 * capabilities and identity, the log level it wants, and mcpgw's own correlation for halting limits.
 */
public final class ModernMeta {

    public static final String PROTOCOL_VERSION = "io.modelcontextprotocol/protocolVersion";
    public static final String CLIENT_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";
    public static final String CLIENT_INFO = "io.modelcontextprotocol/clientInfo";
    public static final String LOG_LEVEL = "io.modelcontextprotocol/logLevel";
    public static final String SERVER_INFO = "io.modelcontextprotocol/serverInfo";
    /** mcpgw's own: a client-minted name for a run of requests that halting limits count together. */
    public static final String CORRELATION = "io.mcpgw/correlation";
    private static final int MAX_CORRELATION_CHARS = 200;

    private ModernMeta() {}

    /** The revision a request's {@code _meta} names, if it names one as text. */
    public static Optional<String> protocolVersion(JsonNode request) {
        return Optional.ofNullable(request.path("params").path("_meta").path(PROTOCOL_VERSION).textValue());
    }

    /**
     * The client of a modern request as its {@code _meta} describes it; a missing or malformed required field is
     * {@code -32602}, as the spec says.
     */
    public static Sessionless client(JsonNode params, String protocolVersion) {
        JsonNode meta = params.path("_meta");
        JsonNode capabilities = meta.path(CLIENT_CAPABILITIES);
        if (!capabilities.isObject()) {
            throw new GatewayException(ErrorCode.INVALID_PARAMS, "_meta[\"" + CLIENT_CAPABILITIES + "\"] is required (an object)");
        }
        Optional<LogLevel> level = Optional.empty();
        if (meta.has(LOG_LEVEL)) {
            level = Optional.of(LogLevel.parse(meta.path(LOG_LEVEL).asText()).orElseThrow(() -> new GatewayException(ErrorCode.INVALID_PARAMS,
                    "Unknown log level in _meta[\"" + LOG_LEVEL + "\"]: " + ClientText.excerpt(meta.path(LOG_LEVEL).toString()))));
        }
        Optional<String> correlation = Optional.empty();
        if (meta.has(CORRELATION)) {
            String named = meta.path(CORRELATION).textValue();
            if (named == null || named.isEmpty() || named.length() > MAX_CORRELATION_CHARS) {
                throw new GatewayException(ErrorCode.INVALID_PARAMS, "_meta[\"" + CORRELATION + "\"] must be a text of 1 to "
                        + MAX_CORRELATION_CHARS + " characters");
            }
            correlation = Optional.of(named);
        }
        return new Sessionless(protocolVersion, true, capabilities, level, correlation);
    }
}
