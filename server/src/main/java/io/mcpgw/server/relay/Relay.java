package io.mcpgw.server.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.catalog.Catalog;
import io.mcpgw.server.config.Isolation;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.egress.BackendClient;
import io.mcpgw.server.egress.BackendScope;
import io.mcpgw.server.egress.Caller;
import io.mcpgw.server.egress.RequestDeadlines;
import io.mcpgw.server.egress.ServerMessages;
import io.mcpgw.server.egress.Upstream;
import io.mcpgw.server.governance.Governance;
import io.mcpgw.server.governance.HaltingState;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.server.session.ClientCall;
import io.mcpgw.server.session.ClientSession;
import io.mcpgw.server.session.LogLevel;
import io.mcpgw.server.session.SessionStore;
import io.mcpgw.spi.credentials.Credentials;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Carries what is neither a client's request nor its answer between clients and backends: a backend's requests
 * to a client (sampling, elicitation, roots) and the client's answers, progress, cancellation, log messages,
 * resource updates. Ids and progress tokens are the gateway's own on each side, so no two clients can collide
 * on a shared connection and none ever sees another's traffic.
 */
@Singleton
public final class Relay implements ServerMessages {

    private static final Logger LOG = LogManager.getLogger(Relay.class);

    /** A backend's request waiting for a client's answer, under the id the client saw. */
    private record Pending(ClientSession session, BackendClient backendClient, JsonNode backendRequestId, CompletableFuture<Void> answered) {}

    /** Where progress on a token of the gateway's goes, and under which token the receiver knows it. */
    private record ProgressRoute(ClientSession session, Consumer<ObjectNode> receiver, JsonNode token) {}

    /** The connections of one backend that serve one scope of sessions ({@link Upstream#scopeOf}). */
    private record Scoped(Upstream backend, BackendScope scope) {
        static Scoped of(Upstream backend, ClientSession session) {
            return new Scoped(backend, backend.scopeOf(session.id(), session.principal().tenant()));
        }
    }

    private final SessionStore sessions;
    private final Catalog catalog;
    private final Duration clientTimeout;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, ProgressRoute> progress = new ConcurrentHashMap<>();
    private final Map<Scoped, LogLevel> requestedLevels = new ConcurrentHashMap<>();
    private final Set<ClientSession> watched = ConcurrentHashMap.newKeySet();
    /** The calls in flight outside any session (modern requests, {@code server.stateless}), by the caller a backend's request is attributed to. */
    private final Map<Caller, ClientCall> sessionless = new ConcurrentHashMap<>();
    private final Subscriptions subscriptions = new Subscriptions();
    private final Tasks tasks;

    private final Governance governance;
    private final HeldCalls held;

    @Inject
    Relay(SessionStore sessions, Catalog catalog, Governance governance, HeldCalls held, StateKeys keys, McpgwConfig config) {
        this.governance = governance;
        this.held = held;
        this.sessions = sessions;
        this.catalog = catalog;
        this.clientTimeout = config.server().clientRequestTimeout();
        this.tasks = new Tasks(new TaskIds(keys));
    }

    /**
     * The params to forward for a client's call: a progress token the client asked for is replaced by one of the
     * gateway's, whose updates go back to the call under the client's token until it ends.
     */
    public JsonNode outbound(ClientCall call, JsonNode params) {
        if (call.session().sessionless() && sessionless.putIfAbsent(call, call) == null) {
            call.whenEnded(() -> sessionless.remove(call));
        }
        // A task-augmented call's token stays good for the task's whole life, after the call has been answered.
        Consumer<Runnable> untilDone = params.has("task") ? cleanup -> call.whenEnded(() -> tasks.afterCall(call, cleanup)) : call::whenEnded;
        return swapProgressToken(params, call.session(), message -> {
            if (!call.cancelledByClient()) {
                call.deliver(message);
            }
        }, untilDone);
    }

    /** A client's answer to a backend's request: back to that backend, under the backend's own id. */
    public void answered(ClientSession session, ObjectNode response) {
        String id = response.path("id").asText();
        Pending waiting = pending.get(id);
        if (waiting == null || !answers(session, waiting.session())) {
            LOG.debug("A client answered request {}, which is not waiting for it; ignored", id);
            return;
        }
        if (pending.remove(id, waiting)) {
            ObjectNode back = JsonRpc.MAPPER.createObjectNode().setAll(response);
            back.set("id", waiting.backendRequestId());
            waiting.backendClient().send(back);
            waiting.answered().complete(null);
        }
    }

    /**
     * Whether {@code answering} may answer what {@code asked} was asked: the same session; or, in
     * {@code server.stateless} mode, where the answer comes in a POST of its own, the same principal at the same
     * endpoint.
     */
    private static boolean answers(ClientSession answering, ClientSession asked) {
        return answering == asked || asked.sessionless() && answering.sessionless() && !asked.modern()
                && asked.principal().tenant().equals(answering.principal().tenant())
                && asked.principal().client().equals(answering.principal().client()) && asked.view().sameEndpoint(answering.view());
    }

    /** A client's notification: cancellation, progress on a backend's request, changed roots. */
    public void notified(ClientSession session, ObjectNode notification) {
        JsonNode params = notification.path("params");
        switch (notification.path("method").asText()) {
            case "notifications/cancelled" -> session.call(params.path("requestId"))
                    .ifPresent(call -> call.cancel(params.path("reason").asText("cancelled by the client")));
            case "notifications/progress" -> {
                ProgressRoute route = progress.get(params.path("progressToken").asText());
                if (route != null && route.session() == session) {
                    route.receiver().accept(retoken(notification, route.token()));
                }
            }
            case "notifications/roots/list_changed" -> {
                for (Upstream backend : catalog.backends(session.view())) {
                    backend.clients().stream().filter(backendClient -> backendClient.leasedBy(session))
                            .forEach(backendClient -> backendClient.send(notification));
                }
            }
            default -> LOG.debug("Client notification {} needs no relaying", notification.path("method").asText());
        }
    }

    /**
     * {@code logging/setLevel}: the session's filter, and the backends' connections that serve it are set to its
     * level when they are its own, or else made at least as verbose.
     */
    public void setLevel(ClientSession session, LogLevel level) {
        session.logLevel(level);
        for (Upstream backend : catalog.backends(session.view())) {
            if (!backend.snapshot().capabilities().has("logging")) {
                continue;
            }
            Scoped scoped = Scoped.of(backend, session);
            boolean own = backend.config().isolation() == Isolation.SESSION;
            if (own && requestedLevels.put(scoped, level) == null) {
                session.onClose(() -> requestedLevels.remove(scoped));
            }
            LogLevel merged = own ? level : requestedLevels.merge(scoped, level, (a, b) -> a.compareTo(b) <= 0 ? a : b);
            if (merged == level) {
                backend.clients().stream().filter(backendClient -> backendClient.scope().equals(scoped.scope()))
                        .forEach(backendClient -> backendClient.request("logging/setLevel", levelParams(level)));
            }
        }
    }

    /** {@code resources/subscribe}, on the connection that serves the call's session, opened for it if need be. */
    public CompletableFuture<ObjectNode> subscribe(ClientCall call, Upstream backend, String uri, Optional<Credentials> credentials) {
        return backend.clientFor(call, credentials)
                .thenCompose(backendClient -> subscriptions.subscribe(call.session(), backendClient, backend, uri));
    }

    public CompletableFuture<ObjectNode> unsubscribe(ClientCall call, Upstream backend, String uri) {
        return subscriptions.unsubscribe(call.session(), backend, backend.scopeOf(call.sessionId(), call.tenant()), uri);
    }

    /** A backend's answer to a task-augmented call: the task it created is recorded, and the client sees the gateway's id. */
    public ObjectNode taskCreated(ClientCall call, BackendClient backendClient, ObjectNode response) {
        return tasks.created(call, backendClient, response);
    }

    /**
     * {@code tasks/get}, {@code tasks/result} or {@code tasks/cancel} for one of the session's tasks; for a 2026-07-28
     * client, {@code tasks/get}, {@code tasks/update} or {@code tasks/cancel} for one of its principal's.
     */
    public CompletableFuture<ObjectNode> forwardTask(ClientCall call, String method, JsonNode params) {
        return tasks.forward(call, method, params);
    }

    /**
     * A call made a task for a client that cannot take one: its answer is the task's outcome, awaited at the backend.
     * An answer that is no task is the answer.
     */
    public CompletableFuture<ObjectNode> awaitTask(ClientCall call, ObjectNode response) {
        return tasks.awaited(call, response);
    }

    /** {@code tasks/list}: the session's own tasks. */
    public CompletableFuture<ObjectNode> listTasks(ClientSession session) {
        return tasks.list(session);
    }

    /**
     * A backend's request to a client goes to the session of the task it names (or, for a 2026-07-28 client's task,
     * is held for its next {@code tasks/get}), else to the session whose call holds the connection; with neither, the
     * gateway cannot know whose it is and refuses it.
     */
    @Override
    public void onRequest(Upstream backend, BackendClient backendClient, ObjectNode original) {
        if (tasks.heldForPoller(backendClient, original)) {
            return;
        }
        String method = original.path("method").asText();
        Optional<Map.Entry<ClientSession, ObjectNode>> forTask =
                tasks.route(backendClient, original, "params", "_meta", Tasks.RELATED_TASK, "taskId");
        Optional<Caller> caller = forTask.isPresent() ? Optional.empty() : backendClient.attributedCaller();
        if (forTask.isEmpty() && caller.isEmpty()) {
            refuse(backendClient, original, "mcpgw cannot tell which client session " + method + " from backend '" + backend.id()
                    + "' is for: no session holds this connection (clients that can be asked things get one to themselves)");
            return;
        }
        ClientCall outside = caller.map(sessionless::get).orElse(null);
        if (outside != null && outside.session().modern()) {
            askModern(backend, backendClient, original, outside);
            return;
        }
        Optional<ClientSession> asked = outside != null ? Optional.of(outside.session())
                : forTask.map(Map.Entry::getKey).or(() -> sessions.get(caller.get().sessionId()));
        if (asked.isEmpty()) {
            refuse(backendClient, original, caller.get().sessionId().isEmpty()
                    ? "the call it came with is outside any client session (server.stateless), so no client can answer"
                    : "the client session ended");
            return;
        }
        ClientSession session = asked.get();
        ObjectNode request = forTask.map(Map.Entry::getValue).orElse(original);
        Optional<String> missing = ClientCapabilities.missingFor(session.clientCapabilities(), request);
        if (session.isClosed() || missing.isPresent()) {
            refuse(backendClient, request, session.isClosed() ? "the client session ended"
                    : "the client did not declare the " + missing.get() + " capability");
            return;
        }
        JsonNode question = request.path("params");
        if (method.equals("sampling/createMessage") && question instanceof ObjectNode sampling) {
            try {
                question = governance.guardSampling(session, backend.id(), sampling);
            } catch (GatewayException refused) {
                refuse(backendClient, request, refused.getMessage());
                return;
            }
        }
        String id = "mcpgw-" + ids.incrementAndGet();
        CompletableFuture<Void> answered = new CompletableFuture<>();
        HaltingState halting = governance.halting(session);
        halting.askStarted();
        answered.whenComplete((ignored, error) -> halting.askEnded());
        pending.put(id, new Pending(session, backendClient, request.get("id"), answered));
        JsonNode params = swapProgressToken(question, session, backendClient::send,
                cleanup -> answered.whenComplete((ignored, error) -> cleanup.run()));
        ObjectNode toClient = JsonRpc.request(TextNode.valueOf(id), method, params);
        RequestDeadlines.watch(answered, clientTimeout.toNanos());
        answered.whenComplete((ignored, error) -> {
            if (error instanceof TimeoutException && pending.remove(id) != null) {
                backendClient.send(JsonRpc.error(request.get("id"), ErrorCode.REQUEST_TIMEOUT.code(),
                        "the client did not answer " + method + " within " + clientTimeout.toMillis() + " ms"));
                session.sendUnsolicited(cancelled(TextNode.valueOf(id), "timed out"));
            }
        });
        if (outside != null) {
            // a stateless call's session ends with the call
            outside.whenEnded(() -> sessionEnded(session));
        } else if (watched.add(session)) {
            session.onClose(() -> sessionEnded(session));
        }
        caller.ifPresentOrElse(attributed -> attributed.deliver(toClient), () -> session.sendUnsolicited(toClient));
    }

    /**
     * A backend's request during a modern client's call (2026-07-28): such a client is asked things only in an
     * {@code input_required} result, which {@link HeldCalls} makes of it in the modern request's shape; when the
     * client did not declare the capability, the backend is refused and the client's answer says so ({@code -32021}).
     */
    private void askModern(Upstream backend, BackendClient backendClient, ObjectNode request, ClientCall call) {
        ClientSession session = call.session();
        Optional<String> missing = ClientCapabilities.missingFor(session.clientCapabilities(), request);
        if (missing.isPresent()) {
            call.lacked(missing.get());
            refuse(backendClient, request, "the client (MCP " + session.protocolVersion() + ") did not declare the " + missing.get() + " capability");
            return;
        }
        JsonNode question = request.path("params");
        if (request.path("method").asText().equals("sampling/createMessage") && question instanceof ObjectNode sampling) {
            try {
                question = governance.guardSampling(session, backend.id(), sampling);
            } catch (GatewayException refused) {
                refuse(backendClient, request, refused.getMessage());
                return;
            }
        }
        ObjectNode modern = JsonRpc.MAPPER.createObjectNode().put("method", request.path("method").asText());
        modern.set("params", ModernInputRequest.paramsOf(question));
        held.ask(call, backend.id(), backendClient, request, modern).ifPresent(why -> refuse(backendClient, request, why));
    }

    /** The backends' requests the session was asked are answered for it: with an error. */
    private void sessionEnded(ClientSession session) {
        watched.remove(session);
        withdraw(waiting -> waiting.session() == session, (id, waiting) -> waiting.backendClient()
                .send(JsonRpc.error(waiting.backendRequestId(), ErrorCode.REQUEST_CANCELLED.code(), "the client session ended")));
    }

    /**
     * {@code params} with its progress token, if it has one, replaced by one of the gateway's: updates on that
     * token go to {@code receiver} under the original token until {@code untilDone} runs the cleanup it is given.
     */
    private JsonNode swapProgressToken(JsonNode params, ClientSession session, Consumer<ObjectNode> receiver,
            Consumer<Runnable> untilDone) {
        JsonNode token = params.path("_meta").get("progressToken");
        if (token == null) {
            return params;
        }
        String mine = "mcpgw-progress-" + ids.incrementAndGet();
        progress.put(mine, new ProgressRoute(session, receiver, token));
        untilDone.accept(() -> progress.remove(mine));
        ObjectNode copy = JsonRpc.MAPPER.createObjectNode().setAll((ObjectNode) params);
        ObjectNode meta = JsonRpc.MAPPER.createObjectNode().setAll((ObjectNode) params.path("_meta"));
        meta.put("progressToken", mine);
        copy.set("_meta", meta);
        return copy;
    }

    /** Ends, unanswered by a client, every pending request that {@code which} selects; {@code then} tells whom it must. */
    private void withdraw(Predicate<Pending> which, BiConsumer<String, Pending> then) {
        pending.forEach((id, waiting) -> {
            if (which.test(waiting) && pending.remove(id, waiting)) {
                waiting.answered().complete(null);
                then.accept(id, waiting);
            }
        });
    }

    @Override
    public void onNotification(Upstream backend, BackendClient backendClient, ObjectNode notification) {
        JsonNode params = notification.path("params");
        switch (notification.path("method").asText()) {
            case "notifications/progress" -> {
                ProgressRoute route = progress.get(params.path("progressToken").asText());
                if (route != null) {
                    route.receiver().accept(retoken(notification, route.token()));
                }
            }
            case "notifications/cancelled" -> backendCancelled(backendClient, params);
            case "notifications/message" -> log(backend, backendClient, notification);
            case "notifications/tasks/status" -> tasks.route(backendClient, notification, "params", "taskId").ifPresentOrElse(
                    owned -> owned.getKey().sendUnsolicited(owned.getValue()),
                    () -> LOG.debug("Backend '{}' reported on a task no session has; dropped", backend.id()));
            case "notifications/resources/updated" -> subscriptions.subscribers(backend, backendClient.scope(), params.path("uri").asText())
                    .forEach(session -> session.sendUnsolicited(notification));
            default -> backendClient.attributedCaller().ifPresentOrElse(caller -> caller.deliver(notification),
                    () -> LOG.debug("Backend '{}' sent {} for no session in particular; dropped", backend.id(),
                            notification.path("method").asText()));
        }
    }

    /** A backend withdrew a request it made of a client. */
    private void backendCancelled(BackendClient backendClient, JsonNode params) {
        JsonNode requestId = params.path("requestId");
        held.withdrawn(backendClient, requestId);
        withdraw(waiting -> waiting.backendClient() == backendClient && waiting.backendRequestId().equals(requestId),
                (id, waiting) -> waiting.session().sendUnsolicited(cancelled(TextNode.valueOf(id), params.path("reason").asText(null))));
    }

    /**
     * A log message goes to the session it can be attributed to, else to every session that sees the backend and
     * that the connection serves; each gets it only at or above the level it asked for.
     */
    private void log(Upstream backend, BackendClient backendClient, ObjectNode notification) {
        Optional<Caller> caller = backendClient.attributedCaller();
        if (caller.isPresent()) {
            caller.get().deliver(notification);
            return;
        }
        for (ClientSession session : sessions.all()) {
            if (session.wants(notification) && session.view().shows(backend)
                    && Scoped.of(backend, session).scope().equals(backendClient.scope())) {
                session.sendUnsolicited(notification);
            }
        }
    }

    @Override
    public void onOpened(Upstream backend, BackendClient backendClient) {
        LogLevel level = requestedLevels.get(new Scoped(backend, backendClient.scope()));
        if (level != null) {
            backendClient.request("logging/setLevel", levelParams(level));
        }
        subscriptions.onOpened(backend, backendClient);
    }

    @Override
    public void onClosed(BackendClient backendClient) {
        withdraw(waiting -> waiting.backendClient() == backendClient,
                (id, waiting) -> waiting.session().sendUnsolicited(cancelled(TextNode.valueOf(id), "the backend connection closed")));
        held.closed(backendClient);
        subscriptions.onClosed(backendClient);
        tasks.onClosed(backendClient);
    }

    private static void refuse(BackendClient backendClient, ObjectNode request, String why) {
        LOG.info("Refused {} from backend '{}': {}", request.path("method").asText(), backendClient.backendId(), why);
        backendClient.send(JsonRpc.error(request.get("id"), ErrorCode.METHOD_NOT_FOUND.code(), why));
    }

    private static ObjectNode cancelled(JsonNode requestId, String reason) {
        ObjectNode params = JsonRpc.MAPPER.createObjectNode();
        params.set("requestId", requestId);
        if (reason != null) {
            params.put("reason", reason);
        }
        return JsonRpc.notification("notifications/cancelled", params);
    }

    private static ObjectNode retoken(ObjectNode notification, JsonNode token) {
        ObjectNode params = JsonRpc.MAPPER.createObjectNode().setAll((ObjectNode) notification.path("params"));
        params.set("progressToken", token);
        return JsonRpc.notification(notification.path("method").asText(), params);
    }

    private static ObjectNode levelParams(LogLevel level) {
        return JsonRpc.MAPPER.createObjectNode().put("level", level.wireName());
    }
}
