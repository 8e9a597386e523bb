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
import io.mcpgw.server.jsonrpc.Params;
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
 *
 * <p>A 2026-07-28 client has no session: its tasks (the tasks extension, SEP-2663) are its principal's, under ids
 * sealed by {@link TaskIds}, polled with {@code tasks/get} (which inlines the result once the backend has it),
 * acknowledged on {@code tasks/update} and {@code tasks/cancel}, and last until they expire or their connection closes.
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
    private final TaskIds ids;
    private final TaskInputs inputs = new TaskInputs();

    Tasks(TaskIds ids) {
        this.ids = ids;
    }

    /** A backend's answer to a task-augmented call: when it created a task, that is recorded and renamed. */
    ObjectNode created(ClientCall call, BackendClient backendClient, ObjectNode response) {
        String nativeId = response.path("result").path("task").path("taskId").textValue();
        if (nativeId == null) {
            return response;
        }
        ClientSession owner = call.session();
        long ttlMillis = response.path("result").path("task").path("ttl").asLong(0);
        String id = owner.modern() ? ids.seal(new TaskIds.Named(backendClient.backendId(), nativeId, owner.principal().tenant(),
                owner.principal().client())) : SessionIds.next();
        Task task = new Task(id, sequence.incrementAndGet(), owner, backendClient, nativeId,
                ttlMillis > 0 ? System.nanoTime() + ttlMillis * 1_000_000 : NEVER, new CopyOnWriteArrayList<>());
        byId.put(task.id(), task);
        byNative.put(new NativeKey(task.backendClient(), nativeId), task);
        createdBy.put(call, task);
        call.whenEnded(() -> createdBy.remove(call, task));
        if (owner.modern()) {
            // no session ends to take a modern client's tasks along: expired ones go whenever another is made
            byId.values().stream().filter(each -> each.owner().modern()).toList().forEach(this::live);
            return JsonRpc.result(response.get("id"), ModernTaskShape.created(response.path("result").path("task"), task.id()));
        }
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
        if (call.session().modern()) {
            return forwardModern(call, method, params);
        }
        Task task = owned(call.session(), params.path("taskId").asText());
        ObjectNode forwarded = JsonRpc.MAPPER.createObjectNode().setAll((ObjectNode) params);
        forwarded.put("taskId", task.nativeId());
        BackendCall sent = task.backendClient().request(method, forwarded);
        call.forwarded(sent);
        return sent.response().thenApply(response -> method.equals("tasks/result")
                ? withTaskId(response, task.id(), "result", "_meta", RELATED_TASK)
                : withTaskId(response, task.id(), "result"));
    }

    /**
     * The extension's {@code tasks/get} (the backend's status, with the result or error inline once it is done),
     * {@code tasks/cancel} (forwarded, then acknowledged) and {@code tasks/update} (its responses to the backend's
     * held requests, see {@link TaskInputs}; one for a key not outstanding is ignored, as the extension says).
     */
    private CompletableFuture<ObjectNode> forwardModern(ClientCall call, String method, JsonNode params) {
        Task task = ownedByPrincipal(call.session(), Params.text(params, "taskId"));
        ObjectNode native_ = JsonRpc.MAPPER.createObjectNode().put("taskId", task.nativeId());
        return switch (method) {
            case "tasks/get" -> {
                BackendCall sent = task.backendClient().request("tasks/get", native_);
                call.forwarded(sent);
                yield sent.response().thenCompose(response -> described(call, task, response));
            }
            case "tasks/cancel" -> {
                BackendCall sent = task.backendClient().request("tasks/cancel", native_);
                call.forwarded(sent);
                yield sent.response().thenApply(response -> response.has("error") ? response
                        : JsonRpc.result(response.get("id"), JsonRpc.MAPPER.createObjectNode()));
            }
            case "tasks/update" -> {
                if (!params.path("inputResponses").isObject()) {
                    throw new GatewayException(ErrorCode.INVALID_PARAMS, "tasks/update needs inputResponses (an object)");
                }
                inputs.answer(task.id(), params.path("inputResponses"));
                yield CompletableFuture.completedFuture(JsonRpc.result(call.id(), JsonRpc.MAPPER.createObjectNode()));
            }
            default -> throw new GatewayException(ErrorCode.METHOD_NOT_FOUND, "Method not found: " + ClientText.excerpt(method));
        };
    }

    /** The backend's answer to {@code tasks/get}, shaped for the extension; a finished task's outcome fetched to go with it. */
    private CompletableFuture<ObjectNode> described(ClientCall call, Task task, ObjectNode response) {
        if (!(response.get("result") instanceof ObjectNode described)) {
            return CompletableFuture.completedFuture(response);
        }
        ObjectNode shaped = ModernTaskShape.of(described, task.id());
        String status = shaped.path("status").asText();
        if (status.equals("input_required")) {
            inputs.draw(task.id(), task.backendClient(), task.nativeId());
            shaped.set("inputRequests", inputs.outstanding(task.id(), call.session().clientCapabilities()));
        }
        if (!status.equals("completed") && !status.equals("failed")) {
            return CompletableFuture.completedFuture(JsonRpc.result(response.get("id"), shaped));
        }
        BackendCall sent = task.backendClient().request("tasks/result", JsonRpc.MAPPER.createObjectNode().put("taskId", task.nativeId()));
        call.forwarded(sent);
        return sent.response().thenApply(outcome -> JsonRpc.result(response.get("id"), ModernTaskShape.finished(shaped, outcome)));
    }

    /**
     * For a call the gateway made a task of although its client cannot take one (a tool that requires a task, and
     * a 2026-07-28 client without the extension): the task's outcome, once the backend has it, as the call's answer.
     */
    CompletableFuture<ObjectNode> awaited(ClientCall call, ObjectNode response) {
        Task task = createdBy.get(call);
        if (task == null) {
            return CompletableFuture.completedFuture(response);
        }
        // forgotten at once: no client can be asked what the backend asks meanwhile, so such a request is refused
        forget(task);
        BackendCall sent = task.backendClient().request("tasks/result", JsonRpc.MAPPER.createObjectNode().put("taskId", task.nativeId()));
        call.forwarded(sent);
        return sent.response().thenApply(outcome -> {
            if (outcome.get("result") == null) {
                return outcome;
            }
            return JsonRpc.result(outcome.get("id"), ModernTaskShape.withoutRelatedTask(outcome.get("result")));
        });
    }

    /**
     * Whether a backend's request names a task a 2026-07-28 client polls: then it is held for that client's next
     * {@code tasks/get}, and the caller has nothing more to do with it.
     */
    boolean heldForPoller(BackendClient backendClient, ObjectNode request) {
        JsonNode nativeId = request.path("params").path("_meta").path(RELATED_TASK).path("taskId");
        Task task = nativeId.isTextual() ? byNative.get(new NativeKey(backendClient, nativeId.textValue())) : null;
        if (task == null || !task.owner().modern() || !live(task)) {
            return false;
        }
        inputs.hold(task.id(), backendClient, request);
        return true;
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
        // a 2026-07-28 client is told nothing unsolicited: it polls
        if (task == null || task.owner().modern() || !live(task)) {
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

    /**
     * A 2026-07-28 client's task: the id must be one the gateway sealed, for this principal, and still known here;
     * anything else is {@code -32602}.
     */
    private Task ownedByPrincipal(ClientSession session, String id) {
        TaskIds.Named named = ids.open(id).orElseThrow(() -> new GatewayException(ErrorCode.INVALID_PARAMS,
                "Invalid task id: " + ClientText.excerpt(id) + " (not one mcpgw gave: altered, made up, or sealed with a key it no longer has)"));
        if (!named.ownedBy(session.principal())) {
            throw new GatewayException(ErrorCode.INVALID_PARAMS, "Unknown task: " + ClientText.excerpt(id) + " (it is not this caller's)");
        }
        Task task = byId.get(id);
        if (task == null || !task.backendClient().backendId().equals(named.backendId()) || !live(task)) {
            throw new GatewayException(ErrorCode.INVALID_PARAMS, "Unknown task: " + ClientText.excerpt(id)
                    + " (it expired, or the connection to backend '" + named.backendId() + "' that ran it closed)");
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
        inputs.forget(task.id());
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
