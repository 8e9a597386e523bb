package io.mcpgw.server.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.egress.BackendCall;
import io.mcpgw.server.egress.BackendClient;
import io.mcpgw.server.jsonrpc.ClientText;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.server.session.ClientCall;
import io.mcpgw.server.session.ClientSession;
import io.mcpgw.server.session.SessionIds;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Tasks (MCP 2025-11-25, experimental). A task-augmented call is answered at once with a task that runs on at the
 * backend connection that took the call. The gateway records which connection runs each task and whose it is, and
 * clients see task ids of the gateway's own: tasks of different backends, or of sessions sharing one connection,
 * never collide, and no session can reach another's (an unknown task and someone else's look the same).
 */
final class Tasks {

    /** The {@code _meta} key that ties a message to a task. */
    static final String RELATED_TASK = "io.modelcontextprotocol/related-task";
    /** The expiry of a task created without a ttl: it lasts as long as its session and connection. */
    private static final long NEVER = Long.MIN_VALUE;

    /** A task; {@code onForgotten} runs when the gateway forgets it (expired, its session or connection ended). */
    private record Task(String id, long sequence, ClientSession owner, BackendClient backendClient, String nativeId, long expiresAtNanos,
            List<Runnable> onForgotten) {}

    private record NativeKey(BackendClient backendClient, String nativeId) {}

    private final Map<String, Task> byId = new ConcurrentHashMap<>();
    private final Map<NativeKey, Task> byNative = new ConcurrentHashMap<>();
    private final Map<ClientCall, Task> createdBy = new ConcurrentHashMap<>();
    private final Set<ClientSession> watched = ConcurrentHashMap.newKeySet();
    private final AtomicLong sequence = new AtomicLong();

    /** A backend's answer to a task-augmented call: when it created a task, that is recorded and renamed. */
    ObjectNode created(ClientCall call, BackendClient backendClient, ObjectNode response) {
        String nativeId = response.path("result").path("task").path("taskId").textValue();
        if (nativeId == null) {
            return response;
        }
        ClientSession owner = call.session();
        long ttlMillis = response.path("result").path("task").path("ttl").asLong(0);
        Task task = new Task(SessionIds.next(), sequence.incrementAndGet(), owner, backendClient, nativeId,
                ttlMillis > 0 ? System.nanoTime() + ttlMillis * 1_000_000 : NEVER, new CopyOnWriteArrayList<>());
        byId.put(task.id(), task);
        byNative.put(new NativeKey(task.backendClient(), nativeId), task);
        createdBy.put(call, task);
        call.whenEnded(() -> createdBy.remove(call, task));
        if (watched.add(owner)) {
            owner.onClose(() -> {
                watched.remove(owner);
                forgetAll(each -> each.owner() == owner);
            });
        }
        return withTaskId(response, task.id(), "result", "task");
    }

    /**
     * Runs {@code action} once the task {@code call} created is forgotten, or now when it created none: what the
     * call set up for the task (its progress token) lasts as long as the task.
     */
    void afterCall(ClientCall call, Runnable action) {
        Task task = createdBy.remove(call);
        if (task == null || !byId.containsKey(task.id())) {
            action.run();
            return;
        }
        task.onForgotten().add(action);
        if (!byId.containsKey(task.id())) {
            forget(task);
        }
    }

    /** {@code tasks/get}, {@code tasks/result} or {@code tasks/cancel}: to the connection that runs the task, under its own id. */
    CompletableFuture<ObjectNode> forward(ClientCall call, String method, JsonNode params) {
        Task task = owned(call.session(), params.path("taskId").asText());
        ObjectNode forwarded = JsonRpc.MAPPER.createObjectNode().setAll((ObjectNode) params);
        forwarded.put("taskId", task.nativeId());
        BackendCall sent = task.backendClient().request(method, forwarded);
        call.forwarded(sent);
        return sent.response().thenApply(response -> method.equals("tasks/result")
                ? withTaskId(response, task.id(), "result", "_meta", RELATED_TASK)
                : withTaskId(response, task.id(), "result"));
    }

    /** {@code tasks/list}: the session's own tasks, each as its backend describes it now; one page. */
    CompletableFuture<ObjectNode> list(ClientSession session) {
        List<Task> owned = byId.values().stream().filter(task -> task.owner() == session && live(task))
                .sorted(Comparator.comparingLong(Task::sequence)).toList();
        List<CompletableFuture<JsonNode>> described = owned.stream().map(task -> task.backendClient()
                .request("tasks/get", JsonRpc.MAPPER.createObjectNode().put("taskId", task.nativeId())).response()
                .handle((response, error) -> {
                    if (error != null || !response.path("result").isObject()) {
                        forget(task);
                        return (JsonNode) null;
                    }
                    return withTaskId(response, task.id(), "result").get("result");
                })).toList();
        return CompletableFuture.allOf(described.toArray(CompletableFuture[]::new)).thenApply(done -> {
            ObjectNode result = JsonRpc.MAPPER.createObjectNode();
            ArrayNode tasks = result.putArray("tasks");
            described.forEach(each -> {
                JsonNode task = each.join();
                if (task != null) {
                    tasks.add(task);
                }
            });
            return result;
        });
    }

    /** The session a backend's message about one of its tasks is for, with the task renamed; empty for unknown tasks. */
    Optional<Map.Entry<ClientSession, ObjectNode>> route(BackendClient backendClient, ObjectNode message, String... pathToTaskId) {
        JsonNode nativeId = message;
        for (String field : pathToTaskId) {
            nativeId = nativeId.path(field);
        }
        Task task = nativeId.isTextual() ? byNative.get(new NativeKey(backendClient, nativeId.textValue())) : null;
        if (task == null || !live(task)) {
            return Optional.empty();
        }
        String[] parent = Arrays.copyOf(pathToTaskId, pathToTaskId.length - 1);
        return Optional.of(Map.entry(task.owner(), withTaskId(message, task.id(), parent)));
    }

    /** The connection closed: its tasks went with it. */
    void onClosed(BackendClient backendClient) {
        forgetAll(task -> task.backendClient() == backendClient);
    }

    private Task owned(ClientSession session, String id) {
        Task task = byId.get(id);
        if (task == null || task.owner() != session || !live(task)) {
            throw new GatewayException(ErrorCode.INVALID_PARAMS,
                    "Unknown task: " + ClientText.excerpt(id) + " (it expired, its backend connection closed, or it was never this session's)");
        }
        return task;
    }

    private boolean live(Task task) {
        if (task.expiresAtNanos() == NEVER || System.nanoTime() - task.expiresAtNanos() < 0) {
            return true;
        }
        forget(task);
        return false;
    }

    private void forgetAll(Predicate<Task> which) {
        byId.values().stream().filter(which).toList().forEach(this::forget);
    }

    private void forget(Task task) {
        byId.remove(task.id(), task);
        byNative.remove(new NativeKey(task.backendClient(), task.nativeId()), task);
        List<Runnable> actions = List.copyOf(task.onForgotten());
        task.onForgotten().removeAll(actions);
        actions.forEach(Runnable::run);
    }

    /** A copy of {@code message} whose object at {@code path} has {@code taskId}; unchanged when there is no such object. */
    private static ObjectNode withTaskId(ObjectNode message, String taskId, String... path) {
        return replaced(message, taskId, path, 0);
    }

    private static ObjectNode replaced(ObjectNode node, String taskId, String[] path, int depth) {
        ObjectNode copy = JsonRpc.MAPPER.createObjectNode().setAll(node);
        if (depth == path.length) {
            return copy.put("taskId", taskId);
        }
        if (!(node.get(path[depth]) instanceof ObjectNode child)) {
            return node;
        }
        copy.set(path[depth], replaced(child, taskId, path, depth + 1));
        return copy;
    }
}
