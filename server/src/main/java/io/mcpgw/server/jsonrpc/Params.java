package io.mcpgw.server.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A request's {@code params} as the gateway reads them: an object, with the fields it needs of the right type. */
public final class Params {

    private Params() {}

    /** {@code params} itself, when it is an object; {@code -32602} otherwise. */
    public static JsonNode object(JsonNode params) {
        if (!params.isObject()) {
            throw new GatewayException(ErrorCode.INVALID_PARAMS, "params must be an object");
        }
        return params;
    }

    /** The string {@code field} of {@code params}; {@code -32602} when it is missing or not a string. */
    public static String text(JsonNode params, String field) {
        JsonNode value = object(params).get(field);
        if (value == null || !value.isTextual()) {
            throw new GatewayException(ErrorCode.INVALID_PARAMS, "params." + field + " must be a string");
        }
        return value.textValue();
    }

    /**
     * A copy of an object node whose own fields can be replaced while its children stay shared: the request's
     * arguments pass through unchanged, so copying them on every call would be wasted work.
     */
    public static ObjectNode shallowCopy(JsonNode object) {
        return JsonRpc.MAPPER.createObjectNode().setAll((ObjectNode) object);
    }
}
