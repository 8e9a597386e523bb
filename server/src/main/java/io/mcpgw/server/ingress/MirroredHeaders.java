package io.mcpgw.server.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.jsonrpc.ClientText;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The headers of MCP 2026-07-28 that mirror a request's body ({@code MCP-Protocol-Version}, {@code Mcp-Method},
 * {@code Mcp-Name}, and {@code Mcp-Param-<name>} for the tool parameters marked {@code x-mcp-header}), checked
 * against it: a missing, malformed or different one is {@code HeaderMismatch} ({@code -32020}, HTTP 400), so that
 * nothing routing on the headers sees another request than the gateway serves.
 */
final class MirroredHeaders {

    static final HttpString METHOD = new HttpString("Mcp-Method");
    static final HttpString NAME = new HttpString("Mcp-Name");
    private static final String PARAM_PREFIX = "Mcp-Param-";
    private static final String MARK = "x-mcp-header";
    /** Which body field {@code Mcp-Name} mirrors, by method. */
    private static final Map<String, String> NAME_SOURCES = Map.of("tools/call", "name", "prompts/get", "name", "resources/read", "uri",
            "tasks/get", "taskId", "tasks/update", "taskId", "tasks/cancel", "taskId");
    private static final String BASE64_START = "=?base64?";
    private static final String BASE64_END = "?=";

    private MirroredHeaders() {}

    /** {@code MCP-Protocol-Version} is there and names the revision the body's {@code _meta} names. */
    static void checkVersion(String header, String body) {
        if (header == null) {
            throw mismatch("the MCP-Protocol-Version header is required (" + body + ", as in _meta)");
        }
        if (!header.equals(body)) {
            throw mismatch("MCP-Protocol-Version header " + ClientText.excerpt(header) + " does not match _meta's " + body);
        }
    }

    /** {@code Mcp-Method} is there and names the body's method; {@code Mcp-Name} too where the method has a name. */
    static void checkStandard(HeaderMap headers, ObjectNode request) {
        String method = request.path("method").asText();
        String header = headers.getFirst(METHOD);
        if (header == null) {
            throw mismatch("the Mcp-Method header is required");
        }
        if (!header.equals(method)) {
            throw mismatch("Mcp-Method header " + ClientText.excerpt(header) + " does not match the body's method " + ClientText.excerpt(method));
        }
        String source = NAME_SOURCES.get(method);
        if (source == null) {
            return;
        }
        String name = headers.getFirst(NAME);
        if (name == null) {
            throw mismatch("the Mcp-Name header is required for " + method);
        }
        String decoded = decode("Mcp-Name", name);
        JsonNode body = request.path("params").path(source);
        if (!body.isTextual() || !decoded.equals(body.asText())) {
            throw mismatch("Mcp-Name header " + ClientText.excerpt(decoded) + " does not match params." + source + " "
                    + ClientText.excerpt(body.asText()));
        }
    }

    /**
     * Each parameter of {@code tool} marked {@code x-mcp-header} that {@code arguments} give a value has its
     * {@code Mcp-Param-<name>} header, equal to it (integers compared as numbers); one they give none has none.
     */
    static void checkParams(HeaderMap headers, ObjectNode tool, JsonNode arguments) {
        for (Marked marked : marked(tool.path("inputSchema"))) {
            JsonNode value = arguments;
            for (String step : marked.path()) {
                value = value.path(step);
            }
            String headerName = PARAM_PREFIX + marked.header();
            String header = headers.getFirst(headerName);
            boolean given = !value.isMissingNode() && !value.isNull();
            if (!given) {
                if (header != null) {
                    throw mismatch(headerName + " header is set, but the arguments have no " + String.join(".", marked.path()));
                }
                continue;
            }
            if (header == null) {
                throw mismatch("the " + headerName + " header is required: the arguments give " + String.join(".", marked.path()));
            }
            String decoded = decode(headerName, header);
            if (!same(decoded, value)) {
                throw mismatch(headerName + " header " + ClientText.excerpt(decoded) + " does not match the argument "
                        + String.join(".", marked.path()));
            }
        }
    }

    /** A parameter marked for a header: where it is in the arguments, and the header's name after {@code Mcp-Param-}. */
    private record Marked(List<String> path, String header) {}

    /** The marked parameters reachable from the schema's root through {@code properties} alone, as the spec allows. */
    private static List<Marked> marked(JsonNode schema) {
        List<Marked> found = new ArrayList<>();
        collect(schema, new ArrayList<>(), found);
        return found;
    }

    private static void collect(JsonNode schema, List<String> path, List<Marked> found) {
        for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
            List<String> at = new ArrayList<>(path);
            at.add(property.getKey());
            JsonNode mark = property.getValue().path(MARK);
            if (mark.isTextual() && !mark.asText().isEmpty()) {
                found.add(new Marked(List.copyOf(at), mark.asText()));
            }
            collect(property.getValue(), at, found);
        }
    }

    /** A header value as sent, or decoded from its {@code =?base64?...?=} form; characters no header may carry are refused. */
    static String decode(String headerName, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\t' && (c < 0x20 || c > 0x7E)) {
                throw mismatch(headerName + " header carries a character no header value may (encode it as =?base64?...?=)");
            }
        }
        if (!value.startsWith(BASE64_START) || !value.endsWith(BASE64_END) || value.length() < BASE64_START.length() + BASE64_END.length()) {
            return value;
        }
        try {
            return new String(Base64.getDecoder().decode(value.substring(BASE64_START.length(), value.length() - BASE64_END.length())),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw mismatch(headerName + " header is not valid base64 inside =?base64?...?=");
        }
    }

    private static boolean same(String header, JsonNode value) {
        if (value.isTextual()) {
            return header.equals(value.asText());
        }
        if (value.isBoolean()) {
            return header.equals(value.asBoolean() ? "true" : "false");
        }
        if (value.isNumber()) {
            return number(header).map(parsed -> parsed.compareTo(value.decimalValue()) == 0).orElse(false);
        }
        return false;
    }

    private static Optional<BigDecimal> number(String text) {
        try {
            return Optional.of(new BigDecimal(text.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static GatewayException mismatch(String detail) {
        return new GatewayException(ErrorCode.HEADER_MISMATCH, "Header mismatch: " + detail);
    }
}
