package io.mcpgw.server.egress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.GatewayVersion;
import io.mcpgw.server.jsonrpc.JsonRpc;
import java.util.Optional;

/**
 * The per-request fields of MCP 2026-07-28 the gateway adds to every request for a modern backend, in its
 * {@code _meta}: the protocol version, the client capabilities the gateway can honour for the calling client, the
 * gateway as the client, and the log level the connection was set to.
 *
 * <p>Of the calling client's capabilities only those that pass through the gateway unchanged go on: its
 * {@code extensions} but the tasks extension (the gateway serves tasks itself). Sampling, elicitation and roots do
 * not: a modern backend asks for them with {@code input_required}, which the gateway does not yet relay (see
 * {@link BackendResultTypes}), so it is told the client cannot answer, and answers with what it does without them or with
 * {@code -32021}.
 */
final class BackendMeta {

    static final String VERSION = "2026-07-28";
    static final String PROTOCOL_VERSION = "io.modelcontextprotocol/protocolVersion";
    static final String CLIENT_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";
    static final String CLIENT_INFO = "io.modelcontextprotocol/clientInfo";
    static final String LOG_LEVEL = "io.modelcontextprotocol/logLevel";
    static final String SERVER_INFO = "io.modelcontextprotocol/serverInfo";
    private static final String TASKS_EXTENSION = "io.modelcontextprotocol/tasks";

    private BackendMeta() {}

    /** {@code params} (left as it is) with the per-request fields added to a copy of its {@code _meta}. */
    static ObjectNode envelope(JsonNode params, JsonNode callerCapabilities, Optional<String> logLevel) {
        ObjectNode sent = JsonRpc.MAPPER.createObjectNode();
        if (params instanceof ObjectNode given) {
            sent.setAll(given);
        }
        ObjectNode meta = sent.path("_meta") instanceof ObjectNode own ? own.deepCopy() : JsonRpc.MAPPER.createObjectNode();
        meta.put(PROTOCOL_VERSION, VERSION);
        meta.set(CLIENT_CAPABILITIES, honoured(callerCapabilities));
        meta.putObject(CLIENT_INFO).put("name", "mcpgw").put("version", GatewayVersion.full());
        logLevel.ifPresent(level -> meta.put(LOG_LEVEL, level));
        sent.set("_meta", meta);
        return sent;
    }

    /** What of the calling client's capabilities the gateway honours toward a modern backend. */
    static ObjectNode honoured(JsonNode callerCapabilities) {
        ObjectNode honoured = JsonRpc.MAPPER.createObjectNode();
        if (callerCapabilities.path("extensions") instanceof ObjectNode extensions) {
            ObjectNode passed = extensions.deepCopy();
            passed.remove(TASKS_EXTENSION);
            if (!passed.isEmpty()) {
                honoured.set("extensions", passed);
            }
        }
        return honoured;
    }
}
