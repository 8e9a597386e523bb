package io.mcpgw.server.jsonrpc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * JSON-RPC 2.0 messages as Jackson trees. A message is parsed once; params and results stay trees and pass
 * through untouched, so nothing a peer adds ({@code _meta}, {@code structuredContent}, ...) is lost.
 */
public final class JsonRpc {

    /**
     * A string may be as long as the message that carries them: the size of a message is bounded where it is read
     * (a stdio backend's {@code maxMessageBytes}, a client's {@code server.maxRequestBytes}), and Jackson's own
     * 20 M-char default would refuse a valid message under those limits (a large base64 image) as not JSON.
     */
    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** What a message is. */
    public enum Kind {
        REQUEST,
        NOTIFICATION,
        RESPONSE,
        INVALID
    }

    private JsonRpc() {}

    public static Kind kind(JsonNode message) {
        if (!(message instanceof ObjectNode object) || !"2.0".equals(object.path("jsonrpc").asText(null))) {
            return Kind.INVALID;
        }
        JsonNode method = object.get("method");
        JsonNode id = object.get("id");
        if (method != null) {
            if (!method.isTextual()) {
                return Kind.INVALID;
            }
            if (id == null) {
                return Kind.NOTIFICATION;
            }
            return isId(id) ? Kind.REQUEST : Kind.INVALID;
        }
        if (id != null && (object.has("result") || object.has("error"))) {
            return Kind.RESPONSE;
        }
        return Kind.INVALID;
    }

    /**
     * Whether {@code id} is one an answer can carry back exactly: an integer, or a string that is well-formed
     * UTF-16 (a lone surrogate would be written back as something else).
     */
    private static boolean isId(JsonNode id) {
        return id.isIntegralNumber() || (id.isTextual() && isWellFormed(id.textValue()));
    }

    /** The id an error about {@code message} carries: the message's own when it has a usable one, else null. */
    public static JsonNode idToEcho(JsonNode message) {
        JsonNode id = message == null ? null : message.get("id");
        return id != null && isId(id) ? id : NullNode.getInstance();
    }

    private static boolean isWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    public static ObjectNode request(JsonNode id, String method, JsonNode params) {
        ObjectNode request = NODES.objectNode().put("jsonrpc", "2.0");
        request.set("id", id);
        request.put("method", method);
        if (params != null && !params.isMissingNode()) {
            request.set("params", params);
        }
        return request;
    }

    public static ObjectNode notification(String method, JsonNode params) {
        ObjectNode notification = NODES.objectNode().put("jsonrpc", "2.0").put("method", method);
        if (params != null && !params.isMissingNode()) {
            notification.set("params", params);
        }
        return notification;
    }

    public static ObjectNode result(JsonNode id, JsonNode result) {
        ObjectNode response = NODES.objectNode().put("jsonrpc", "2.0");
        response.set("id", id);
        response.set("result", result);
        return response;
    }

    public static ObjectNode error(JsonNode id, int code, String message) {
        ObjectNode response = NODES.objectNode().put("jsonrpc", "2.0");
        response.set("id", id == null ? NullNode.getInstance() : id);
        response.putObject("error").put("code", code).put("message", message);
        return response;
    }

    public static ObjectNode error(JsonNode id, GatewayException error) {
        ObjectNode response = error(id, error.code().code(), error.getMessage());
        error.data().ifPresent(data -> ((ObjectNode) response.get("error")).set("data", data));
        return response;
    }

    public static String write(JsonNode message) {
        try {
            return MAPPER.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }
}
