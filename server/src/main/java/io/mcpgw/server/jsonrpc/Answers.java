package io.mcpgw.server.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletionException;

/** A client's answer from what a backend (or the gateway's own work) produced: the client's id, or its error. */
public final class Answers {

    private Answers() {}

    /** A backend's whole response under the client's id. */
    public static ObjectNode withId(JsonNode id, ObjectNode response, Throwable error) {
        if (error != null) {
            return failed(id, error);
        }
        response.set("id", id);
        return response;
    }

    /** A result the gateway built, under the client's id. */
    public static ObjectNode ofResult(JsonNode id, ObjectNode result, Throwable error) {
        return error == null ? JsonRpc.result(id, result) : failed(id, error);
    }

    /** A {@link GatewayException} as its error; anything else as an internal error that tells the client nothing more. */
    public static ObjectNode failed(JsonNode id, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof GatewayException gateway ? JsonRpc.error(id, gateway)
                : JsonRpc.error(id, ErrorCode.INTERNAL_ERROR.code(), "internal error");
    }
}
