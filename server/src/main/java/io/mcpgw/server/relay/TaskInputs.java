package io.mcpgw.server.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.egress.BackendClient;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a 2025-11-25 backend asks (elicitation, sampling, roots) during a task that a 2026-07-28 client polls. Such a
 * backend sends its requests on the stream of a {@code tasks/result} call, so the gateway makes that call once the
 * task waits for input; each request is held under a key of the gateway's, shown to the client as the task's
 * {@code inputRequests}, and answered under the backend's own id when {@code tasks/update} brings its response.
 */
final class TaskInputs {

    /** A backend's request, held for a client's answer. */
    private record Held(BackendClient backendClient, JsonNode backendRequestId, ObjectNode request) {}

    private final Map<String, Map<String, Held>> byTask = new ConcurrentHashMap<>();
    private final Set<String> drawing = ConcurrentHashMap.newKeySet();
    private final AtomicLong keys = new AtomicLong();

    /** Makes, once at a time per task, the {@code tasks/result} call through which the backend sends what it asks. */
    void draw(String taskId, BackendClient backendClient, String nativeId) {
        if (drawing.add(taskId)) {
            backendClient.request("tasks/result", JsonRpc.MAPPER.createObjectNode().put("taskId", nativeId)).response()
                    .whenComplete((outcome, error) -> drawing.remove(taskId));
        }
    }

    /** Holds a backend's request for the task's client, without the {@code _meta} that named the task. */
    void hold(String taskId, BackendClient backendClient, ObjectNode request) {
        ObjectNode asked = JsonRpc.MAPPER.createObjectNode().put("method", request.path("method").asText());
        asked.set("params", ModernTaskShape.withoutRelatedTask(request.path("params")));
        byTask.computeIfAbsent(taskId, id -> new ConcurrentHashMap<>())
                .put("mcpgw-input-" + keys.incrementAndGet(), new Held(backendClient, request.get("id"), asked));
    }

    /**
     * The task's outstanding requests, as {@code inputRequests}; one the polling client declared no capability for is
     * refused at the backend instead, as a legacy session's would be.
     */
    ObjectNode outstanding(String taskId, JsonNode clientCapabilities) {
        ObjectNode requests = JsonRpc.MAPPER.createObjectNode();
        byTask.getOrDefault(taskId, Map.of()).forEach((key, held) -> {
            Optional<String> missing = ClientCapabilities.missingFor(clientCapabilities, held.request());
            if (missing.isEmpty()) {
                requests.set(key, held.request());
            } else if (byTask.get(taskId).remove(key, held)) {
                held.backendClient().send(JsonRpc.error(held.backendRequestId(), ErrorCode.METHOD_NOT_FOUND.code(),
                        "the client did not declare the " + missing.get() + " capability"));
            }
        });
        return requests;
    }

    /** {@code tasks/update}: each response for a key that is outstanding goes to the backend; the others are ignored. */
    void answer(String taskId, JsonNode inputResponses) {
        Map<String, Held> held = byTask.getOrDefault(taskId, Map.of());
        inputResponses.properties().forEach(entry -> {
            Held waiting = held.get(entry.getKey());
            if (waiting != null && entry.getValue().isObject() && held.remove(entry.getKey(), waiting)) {
                waiting.backendClient().send(JsonRpc.result(waiting.backendRequestId(), entry.getValue()));
            }
        });
    }

    /** The task is gone: what it still asked is withdrawn at the backend. */
    void forget(String taskId) {
        drawing.remove(taskId);
        Map<String, Held> held = byTask.remove(taskId);
        if (held != null) {
            held.values().forEach(waiting -> waiting.backendClient().send(JsonRpc.error(waiting.backendRequestId(),
                    ErrorCode.REQUEST_CANCELLED.code(), "the task is no longer known to mcpgw")));
        }
    }
}
