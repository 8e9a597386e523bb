package io.mcpgw.server.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.jsonrpc.JsonRpc;

/**
 * A 2025-11-25 task as the tasks extension of 2026-07-28 shapes it (SEP-2663): {@code ttl} and {@code pollInterval}
 * become {@code ttlMs} and {@code pollIntervalMs}, a created task is the whole result ({@code resultType: "task"}),
 * a finished one carries its result or error inline.
 */
final class ModernTaskShape {

    private ModernTaskShape() {}

    /** {@code task} (2025-11-25) under the gateway's {@code taskId}. */
    static ObjectNode of(JsonNode task, String taskId) {
        ObjectNode shaped = JsonRpc.MAPPER.createObjectNode().put("taskId", taskId).put("status", task.path("status").asText("working"));
        if (task.path("statusMessage").isTextual()) {
            shaped.put("statusMessage", task.path("statusMessage").asText());
        }
        shaped.set("createdAt", task.path("createdAt"));
        shaped.set("lastUpdatedAt", task.path("lastUpdatedAt").isTextual() ? task.path("lastUpdatedAt") : task.path("createdAt"));
        JsonNode ttl = task.path("ttl");
        if (ttl.isIntegralNumber()) {
            shaped.put("ttlMs", ttl.asLong());
        } else {
            shaped.putNull("ttlMs");
        }
        if (task.path("pollInterval").isIntegralNumber()) {
            shaped.put("pollIntervalMs", task.path("pollInterval").asLong());
        }
        return shaped;
    }

    /** A created task: the result of the call that made it. */
    static ObjectNode created(JsonNode task, String taskId) {
        ObjectNode shaped = JsonRpc.MAPPER.createObjectNode().put("resultType", "task");
        shaped.setAll(of(task, taskId));
        return shaped;
    }

    /**
     * A finished task with what {@code tasks/result} answered inline: a result (even one with {@code isError}) is
     * {@code completed}, a JSON-RPC error {@code failed}.
     */
    static ObjectNode finished(ObjectNode task, ObjectNode outcome) {
        if (outcome.get("error") instanceof ObjectNode error) {
            task.put("status", "failed");
            task.set("error", error);
        } else {
            task.put("status", "completed");
            task.set("result", withoutRelatedTask(outcome.path("result")));
        }
        return task;
    }

    /** A task's result without the {@code _meta} that tied it to the task (the extension has none). */
    static JsonNode withoutRelatedTask(JsonNode result) {
        if (!(result instanceof ObjectNode object) || !(object.get("_meta") instanceof ObjectNode meta) || !meta.has(Tasks.RELATED_TASK)) {
            return result;
        }
        ObjectNode copy = object.deepCopy();
        ObjectNode copiedMeta = (ObjectNode) copy.get("_meta");
        copiedMeta.remove(Tasks.RELATED_TASK);
        if (copiedMeta.isEmpty()) {
            copy.remove("_meta");
        }
        return copy;
    }
}
