package io.mcpgw.server.egress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The headers MCP 2026-07-28 mirrors from a request's body on Streamable HTTP: {@code MCP-Protocol-Version},
 * {@code Mcp-Method}, {@code Mcp-Name} (the tool or prompt name, the resource URI) and one {@code Mcp-Param-{Name}}
 * for each tool parameter the backend's tool marks with {@code x-mcp-header}. The body is the backend's own (its
 * native tool name), so the headers are too. A value that is not a plain header value travels in the sentinel form
 * {@code =?base64?...?=}.
 */
final class McpHeaders {

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final long MAX_SAFE_INTEGER = (1L << 53) - 1;
    private static final String MARK = "x-mcp-header";

    private McpHeaders() {}

    /** The headers of one request for a modern backend; {@code tools} has the tool a {@code tools/call} names. */
    static Map<String, String> of(String method, JsonNode params, ToolDefinitions tools) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("MCP-Protocol-Version", BackendMeta.VERSION);
        headers.put("Mcp-Method", method);
        String name = switch (method) {
            case "tools/call", "prompts/get" -> params.path("name").textValue();
            case "resources/read" -> params.path("uri").textValue();
            default -> null;
        };
        if (name != null) {
            headers.put("Mcp-Name", encoded(name));
        }
        if ("tools/call".equals(method) && name != null) {
            tools.tool(name).ifPresent(tool -> params(tool.path("inputSchema"), params.path("arguments"), headers));
        }
        return headers;
    }

    /** Adds an {@code Mcp-Param-*} header for each marked property (reached through {@code properties} alone) with a value. */
    private static void params(JsonNode schema, JsonNode arguments, Map<String, String> headers) {
        if (!(schema.path("properties") instanceof ObjectNode properties)) {
            return;
        }
        properties.properties().forEach(property -> {
            JsonNode value = arguments.path(property.getKey());
            JsonNode mark = property.getValue().path(MARK);
            if (mark.isTextual()) {
                headerValue(value).ifPresent(text -> headers.put("Mcp-Param-" + mark.textValue(), encoded(text)));
            }
            if (value.isObject()) {
                params(property.getValue(), value, headers);
            }
        });
    }

    /** A parameter's value as the header carries it: strings, integers and booleans; nothing for null or absent. */
    private static Optional<String> headerValue(JsonNode value) {
        if (value.isTextual()) {
            return Optional.of(value.textValue());
        }
        if (value.isIntegralNumber() || value.isBoolean()) {
            return Optional.of(value.asText());
        }
        return Optional.empty();
    }

    /** The value as is when it is a plain header value, else in the base64 sentinel form. */
    static String encoded(String value) {
        boolean plain = !value.isEmpty() && value.charAt(0) != ' ' && value.charAt(0) != '\t'
                && value.charAt(value.length() - 1) != ' ' && value.charAt(value.length() - 1) != '\t'
                && !(value.startsWith("=?base64?") && value.endsWith("?="));
        for (int i = 0; plain && i < value.length(); i++) {
            char c = value.charAt(i);
            plain = c == '\t' || (c >= 0x20 && c <= 0x7E);
        }
        return plain ? value : "=?base64?" + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    /**
     * Why a tool's {@code x-mcp-header} marks are invalid, if they are: a mark that is not a header token, used twice
     * (in any case), on a parameter that is not a string, integer or boolean (or an integer with bounds past what
     * JavaScript holds exactly), or anywhere but on a property reached through {@code properties} alone. A client
     * must leave such a tool out.
     */
    static Optional<String> invalidMarks(ObjectNode tool) {
        Set<String> seen = new HashSet<>();
        return invalid(tool.path("inputSchema"), true, seen);
    }

    private static Optional<String> invalid(JsonNode schema, boolean reachable, Set<String> seen) {
        if (schema.isArray()) {
            for (JsonNode item : schema) {
                Optional<String> found = invalid(item, false, seen);
                if (found.isPresent()) {
                    return found;
                }
            }
            return Optional.empty();
        }
        if (!schema.isObject()) {
            return Optional.empty();
        }
        JsonNode mark = schema.get(MARK);
        if (mark != null) {
            if (!reachable) {
                return Optional.of("x-mcp-header on a parameter not reached through properties alone");
            }
            if (!mark.isTextual() || !TOKEN.matcher(mark.textValue()).matches()) {
                return Optional.of("x-mcp-header " + mark + " is not an HTTP header name token");
            }
            if (!seen.add(mark.textValue().toLowerCase(Locale.ROOT))) {
                return Optional.of("x-mcp-header '" + mark.textValue() + "' is used twice");
            }
            String type = schema.path("type").asText("");
            if (!Set.of("string", "integer", "boolean").contains(type)) {
                return Optional.of("x-mcp-header '" + mark.textValue() + "' marks a parameter of type '" + type + "', not string, integer or boolean");
            }
            if ("integer".equals(type) && (Math.abs(schema.path("maximum").asDouble(0)) > MAX_SAFE_INTEGER
                    || Math.abs(schema.path("minimum").asDouble(0)) > MAX_SAFE_INTEGER)) {
                return Optional.of("x-mcp-header '" + mark.textValue() + "' marks an integer past the safe range");
            }
        }
        for (Map.Entry<String, JsonNode> field : schema.properties()) {
            if (field.getKey().equals(MARK)) {
                continue;
            }
            boolean viaProperties = reachable && "properties".equals(field.getKey());
            if (viaProperties && field.getValue().isObject()) {
                for (Map.Entry<String, JsonNode> property : field.getValue().properties()) {
                    Optional<String> found = invalid(property.getValue(), true, seen);
                    if (found.isPresent()) {
                        return found;
                    }
                }
            } else {
                Optional<String> found = invalid(field.getValue(), false, seen);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }
}
