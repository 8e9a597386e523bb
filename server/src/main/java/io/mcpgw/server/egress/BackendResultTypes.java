package io.mcpgw.server.egress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.JsonRpc;

/**
 * What a modern backend's answer means by its {@code resultType}: {@code complete} (or none, as from a legacy
 * backend) is the result; {@code input_required} (a multi round-trip request asking the client for sampling,
 * elicitation or roots) is not relayed to clients yet and becomes a clear error; any other type is one too.
 */
final class BackendResultTypes {

    static final String COMPLETE = "complete";
    static final String INPUT_REQUIRED = "input_required";

    private BackendResultTypes() {}

    /** The answer to pass on for a modern backend's {@code response}: itself, or an error that says why not. */
    static ObjectNode understood(ObjectNode response, String backendId, String method) {
        JsonNode resultType = response.path("result").path("resultType");
        if (resultType.isMissingNode() || COMPLETE.equals(resultType.asText())) {
            return response;
        }
        String message = INPUT_REQUIRED.equals(resultType.asText())
                ? "backend '" + backendId + "' needs input from the client to answer " + method
                        + " (input_required, MCP 2026-07-28), which the gateway does not relay yet"
                : "backend '" + backendId + "' answered " + method + " with resultType '" + resultType.asText() + "', which the gateway does not know";
        ObjectNode error = JsonRpc.error(response.get("id"), ErrorCode.BACKEND_PROTOCOL_ERROR.code(), message);
        ObjectNode data = ((ObjectNode) error.path("error")).putObject("data");
        data.put("backend", backendId).put("resultType", resultType.asText());
        return error;
    }
}
