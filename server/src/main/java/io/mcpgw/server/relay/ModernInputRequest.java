package io.mcpgw.server.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.jsonrpc.JsonRpc;

/**
 * A legacy backend's request to its client (sampling, elicitation, roots) as an entry of a 2026-07-28
 * {@code inputRequests}: the same params without what only the legacy era's request carries, the progress token
 * (a modern client's progress is its request's own), the task augmentation, the related task, and URL mode's
 * {@code elicitationId}, which 2026-07-28 removed (the call's {@code requestState} names it instead).
 */
final class ModernInputRequest {

    private ModernInputRequest() {}

    static ObjectNode paramsOf(JsonNode legacy) {
        ObjectNode params = legacy instanceof ObjectNode object ? object.deepCopy() : JsonRpc.MAPPER.createObjectNode();
        params.remove("task");
        params.remove("elicitationId");
        if (params.get("_meta") instanceof ObjectNode meta) {
            meta.remove("progressToken");
            meta.remove(Tasks.RELATED_TASK);
            if (meta.isEmpty()) {
                params.remove("_meta");
            }
        }
        return params;
    }
}
