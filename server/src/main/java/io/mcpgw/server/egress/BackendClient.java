package io.mcpgw.server.egress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.GatewayVersion;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import io.mcpgw.server.io.IoThreads;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.spi.credentials.Credentials;
import io.mcpgw.spi.transport.BackendConnection;
import io.mcpgw.spi.transport.BackendTransport;
import io.mcpgw.spi.transport.ConnectionRequest;
import io.mcpgw.spi.transport.InboundHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A backend session: one MCP conversation with a backend, over one transport {@link BackendConnection}, in the era
 * the backend speaks (see {@link EraProbe}): an initialized session (legacy), or a connection on which every request
 * carries its own version, capabilities and headers (modern, 2026-07-28). Many requests are in flight at once: each
 * gets an id of this client's, and the backend's answer is matched back by it. Calls are admitted by lease (see
 * {@link Caller}): on a legacy session, while a session whose client can be asked things has calls here, no other
 * session's calls are, so whatever the backend asks in the meantime belongs to that session. A modern backend asks
 * nothing outside its answers, so no call needs the connection to itself.
 *
 * <p>To a modern backend the gateway's own requests of the legacy era are what the modern one says instead:
 * {@code ping} is {@code server/discover}, {@code logging/setLevel} sets the level every later request carries in
 * its {@code _meta}; {@code resources/subscribe} has no equivalent here and is refused. A modern connection
 * {@linkplain #listenForChanges listens} for list changes with {@code subscriptions/listen}.
 *
 * <p>Its public methods are what the layers above use (the relay answers the backend's requests and sends the
 * gateway's own on it); leasing, opening and closing are egress's alone.
 */
public final class BackendClient {

    /** The revision the gateway asks backends for; they may answer with an older one they support. */
    static final String PROTOCOL_VERSION = "2025-11-25";

    private static final Logger LOG = LogManager.getLogger(BackendClient.class);
    private static final long CLOSE_REASON_WAIT_MILLIS = 3000;
    /**
     * How long after a {@code subscriptions/listen} ended it is opened again (doubled, up to a limit, while it cannot
     * be delivered), and how many times per connection.
     */
    private static final long RELISTEN_DELAY_MILLIS = 1000;
    private static final long MAX_RELISTEN_DELAY_MILLIS = 30_000;
    private static final int MAX_LISTENS = 100;
    /** What a modern backend says first on a {@code subscriptions/listen}: the gateway's own business, no client's. */
    private static final String ACKNOWLEDGED = "notifications/subscriptions/acknowledged";

    /** Receives what the backend sends that is not an answer to a request, and when a call ends. */
    interface Listener {
        void onNotification(BackendClient client, ObjectNode notification);

        void onRequest(BackendClient client, ObjectNode request);

        /** A client's call ended here, so a caller waiting for a connection may now be admitted. */
        void onReleased(BackendClient client);

        void onClosed(BackendClient client, Optional<Throwable> cause);
    }

    /** A request waiting for its answer; the hook sees the answer on the reading thread, before the backend's next message. */
    private record Pending(CompletableFuture<ObjectNode> response, Caller caller, AnswerHook hook) {}

    private record Call(long id, CompletableFuture<ObjectNode> response, BackendClient client) implements BackendCall {
        @Override
        public void cancel(String reason) {
            client.cancel(id, reason);
        }
    }

    private final String backendId;
    private final Duration requestTimeout;
    private final Listener listener;
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    /** Requests being handed to the transport right now: a failure to send is theirs to report, not the closing's. */
    private final Set<Long> sending = ConcurrentHashMap.newKeySet();
    private final AtomicLong ids = new AtomicLong();
    /** Completes when the transport connection ends; a new one for the connection a refused probe made way for. */
    private volatile CompletableFuture<Optional<Throwable>> closed = new CompletableFuture<>();
    /** While the era is being found the listener hears nothing: a probe's connection may end and make way for another. */
    private volatile boolean opening = true;
    private volatile Inbound inbound;
    private volatile BackendConnection connection;
    private volatile ObjectNode initializeResult;
    /** The lease, guarded by {@code this}: the session holding it and its calls, or the count of shared calls. */
    private Caller.Session leaseHolder;
    private int leasedCalls;
    private int sharedCalls;
    private Caller lastLessee;

    private final String credentialKey;
    private final BackendScope scope;
    private final ToolDefinitions tools;
    private volatile Era era = Era.LEGACY;
    /** The level {@code logging/setLevel} set for a modern connection, sent with each request. */
    private volatile String logLevel;
    /** The id of the open {@code subscriptions/listen} (0: none), and how many were opened. */
    private volatile long listenId;
    private int listens;
    /** {@code subscriptions/listen} sent in a row that did not reach the backend. */
    private volatile int undeliveredListens;
    /** Whether one client session has the connection to itself, so whatever the backend says on its own is that session's. */
    private final boolean owned;

    private BackendClient(String backendId, Duration requestTimeout, Listener listener, String credentialKey, BackendScope scope, Caller owner,
            ToolDefinitions tools) {
        this.backendId = backendId;
        this.tools = tools;
        this.credentialKey = credentialKey;
        this.scope = scope;
        this.owned = owner != null;
        this.lastLessee = owner;
        this.requestTimeout = requestTimeout;
        this.listener = listener;
    }

    /**
     * Opens a connection for the callers of {@code scope} (see {@link Backend#scopeOf}) and finds, within
     * {@code timeout}, the era the backend speaks as {@code protocol} says (see {@link EraProbe}), trying {@code known}
     * first, the era this backend spoke last. With an {@code owner}, the connection is that caller's session's alone:
     * what the backend asks or says outside a call, its first {@code roots/list} too, is the session's.
     */
    static BackendClient open(String backendId, BackendTransport transport, Duration timeout, Duration requestTimeout,
            Listener listener, Optional<Credentials> credentials, BackendScope scope, Caller owner, EraProbe.Plan plan) throws IOException {
        BackendClient client = new BackendClient(backendId, requestTimeout, listener, CredentialKey.of(credentials), scope, owner, plan.tools());
        ConnectionRequest request = new ConnectionRequest(backendId, credentials.map(Credentials::environment).orElse(Map.of()),
                credentials.map(Credentials::headers).orElse(Map.of()));
        client.connect(transport, request);
        try {
            EraProbe.settle(client, plan, timeout, () -> {
                if (!client.connection.isOpen()) {
                    client.inbound.retired = true;
                    client.closed = new CompletableFuture<>();
                    client.connect(transport, request);
                }
            });
            client.opening = false;
            if (client.closed.isDone()) {
                throw new IOException(client.closeReason().orElse("the connection closed while starting"));
            }
            return client;
        } catch (IOException | RuntimeException e) {
            client.close();
            client.opening = false;
            if (client.closed.isDone()) {
                listener.onClosed(client, client.closed.getNow(Optional.empty()));
            }
            throw e;
        }
    }

    private void connect(BackendTransport transport, ConnectionRequest request) throws IOException {
        inbound = new Inbound();
        connection = transport.open(request, inbound);
    }

    /**
     * The legacy handshake: {@code initialize} and {@code notifications/initialized}; the backend's answer, which
     * may be an error, or empty when none came in time.
     */
    Optional<ObjectNode> initialize(Duration timeout) throws IOException {
        ObjectNode params = JsonRpc.MAPPER.createObjectNode().put("protocolVersion", PROTOCOL_VERSION);
        ObjectNode capabilities = params.putObject("capabilities");
        capabilities.putObject("roots").put("listChanged", true);
        capabilities.putObject("sampling");
        ObjectNode elicitation = capabilities.putObject("elicitation");
        elicitation.putObject("form");
        elicitation.putObject("url");
        params.putObject("clientInfo").put("name", "mcpgw").put("version", GatewayVersion.full());
        era = Era.LEGACY;
        Optional<ObjectNode> response = await(send("initialize", params, Caller.GATEWAY, Map.of()), timeout);
        if (response.isPresent() && response.get().has("result")) {
            initializeResult = (ObjectNode) response.get().path("result");
            notify("notifications/initialized", null);
        }
        return response;
    }

    /**
     * The modern probe: {@code server/discover} with the gateway's preferred version in its {@code _meta}; the
     * backend's answer, which may be an error, or empty when none came in time.
     */
    Optional<ObjectNode> discover(Duration timeout) throws IOException {
        ObjectNode params = BackendMeta.envelope(null, Caller.GATEWAY.clientCapabilities(), Optional.empty());
        Optional<ObjectNode> response = await(send("server/discover", params, Caller.GATEWAY, McpHeaders.of("server/discover", params, tools)),
                timeout);
        return response;
    }

    /** The backend speaks 2026-07-28: {@code discovered} is its {@code server/discover} result. */
    void modern(ObjectNode discovered) {
        ObjectNode described = JsonRpc.MAPPER.createObjectNode().put("protocolVersion", BackendMeta.VERSION);
        described.set("capabilities", discovered.path("capabilities").isObject() ? discovered.get("capabilities") : JsonRpc.MAPPER.createObjectNode());
        JsonNode serverInfo = discovered.path("_meta").path(BackendMeta.SERVER_INFO);
        described.set("serverInfo", serverInfo.isObject() ? serverInfo : JsonRpc.MAPPER.createObjectNode().put("name", backendId));
        if (discovered.path("instructions").isTextual()) {
            described.set("instructions", discovered.get("instructions"));
        }
        initializeResult = described;
        era = Era.MODERN;
    }

    /** The answer within {@code timeout}, or empty; an I/O failure (the connection gone, a message refused) is thrown. */
    private Optional<ObjectNode> await(CompletableFuture<ObjectNode> response, Duration timeout) throws IOException {
        try {
            return Optional.of(response.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            response.cancel(false);
            return Optional.empty();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof GatewayException gateway && gateway.getCause() != null ? gateway.getCause() : e.getCause();
            // why the connection closed beats how the request failed: "exited with code 2", not "Broken pipe"
            Optional<String> reason = connection.isOpen() ? Optional.empty() : closeReason();
            throw new IOException(reason.orElse(cause.getMessage()), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting");
        }
    }

    /** The era this connection speaks. */
    public Era era() {
        return era;
    }

    /** The backend's {@code initialize} result; for a modern backend its {@code server/discover} answer in that shape. */
    ObjectNode initializeResult() {
        return initializeResult;
    }

    public String backendId() {
        return backendId;
    }

    /**
     * How well this connection suits {@code caller} now: lower is better, negative means the lease rules keep the
     * caller out. A session is best served where it already holds the lease, then where it held it last.
     */
    synchronized int affinity(Caller caller) {
        if (caller == Caller.GATEWAY) {
            return pending.size();
        }
        if (!exclusive(caller)) {
            return leaseHolder == null ? sharedCalls : -1;
        }
        if (leaseHolder == caller.session()) {
            return 0;
        }
        if (leaseHolder != null || sharedCalls > 0) {
            return -1;
        }
        return lastLessee != null && lastLessee.session() == caller.session() ? 1 : 2;
    }

    /** Whether the caller's calls need the connection to themselves: a legacy backend may ask its client things. */
    private boolean exclusive(Caller caller) {
        return caller.exclusive() && era == Era.LEGACY;
    }

    /** Takes a place for one call of {@code caller}; false when the lease rules keep it out. */
    synchronized boolean admit(Caller caller) {
        if (affinity(caller) < 0) {
            return false;
        }
        if (exclusive(caller)) {
            leaseHolder = caller.session();
            leasedCalls++;
            lastLessee = caller;
        } else if (caller != Caller.GATEWAY) {
            sharedCalls++;
            if (owned) {
                lastLessee = caller;
            }
        }
        return true;
    }

    private void release(Caller caller) {
        if (caller == Caller.GATEWAY) {
            return;
        }
        synchronized (this) {
            if (exclusive(caller)) {
                if (--leasedCalls == 0) {
                    leaseHolder = null;
                }
            } else {
                sharedCalls--;
            }
        }
        listener.onReleased(this);
    }

    /**
     * Sends a request for a caller {@link #admit admitted} here. The response holds the backend's whole answer, or
     * fails with a {@link GatewayException} when the backend is gone, too slow, or the call was cancelled.
     */
    BackendCall request(String method, JsonNode params, Duration timeout, Caller caller, AnswerHook hook) {
        long id = ids.incrementAndGet();
        CompletableFuture<ObjectNode> response = era == Era.MODERN ? sendModern(id, method, params, caller, hook)
                : send(id, method, params, caller, hook, Map.of());
        RequestDeadlines.watch(response, timeout.toNanos());
        return new Call(id, response.exceptionally(error -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof TimeoutException) {
                throw new GatewayException(ErrorCode.BACKEND_TIMEOUT,
                        "backend '" + backendId + "' did not answer " + method + " within " + timeout.toMillis() + " ms");
            }
            if (cause instanceof GatewayException gateway) {
                throw gateway;
            }
            throw new GatewayException(ErrorCode.BACKEND_UNAVAILABLE, "backend '" + backendId + "': " + cause.getMessage(), cause);
        }), this);
    }

    private CompletableFuture<ObjectNode> send(String method, JsonNode params, Caller caller, Map<String, String> headers) {
        return send(ids.incrementAndGet(), method, params, caller, AnswerHook.NONE, headers);
    }

    /**
     * A request as a modern backend gets it: with the per-request {@code _meta} and headers, and the legacy era's
     * own methods said the modern way (see the class comment).
     */
    private CompletableFuture<ObjectNode> sendModern(long id, String method, JsonNode params, Caller caller, AnswerHook hook) {
        switch (method) {
            case "ping" -> {
                return sendModern(id, "server/discover", null, caller, hook);
            }
            case "logging/setLevel" -> {
                logLevel = params.path("level").textValue();
                return answered(id, caller, JsonRpc.result(LongNode.valueOf(id), JsonRpc.MAPPER.createObjectNode()));
            }
            case "resources/subscribe", "resources/unsubscribe" -> {
                return answered(id, caller, JsonRpc.error(LongNode.valueOf(id), ErrorCode.METHOD_NOT_FOUND.code(), "backend '" + backendId
                        + "' speaks MCP " + BackendMeta.VERSION + ", which has no " + method + "; the gateway does not subscribe to its resources yet"));
            }
            default -> {
                ObjectNode sent = BackendMeta.envelope(params, caller.clientCapabilities(), Optional.ofNullable(logLevel));
                return send(id, method, sent, caller, (client, response) -> hook.onAnswer(client, BackendResultTypes.understood(response, backendId, method)),
                        McpHeaders.of(method, sent, tools));
            }
        }
    }

    /** A request the gateway answers for the backend: admitted and released as any other. */
    private CompletableFuture<ObjectNode> answered(long id, Caller caller, ObjectNode answer) {
        CompletableFuture<ObjectNode> response = tracked(id, caller, AnswerHook.NONE);
        response.complete(answer);
        return response;
    }

    private CompletableFuture<ObjectNode> tracked(long id, Caller caller, AnswerHook hook) {
        CompletableFuture<ObjectNode> response = new CompletableFuture<>();
        pending.put(id, new Pending(response, caller, hook));
        response.whenComplete((ignored, error) -> {
            if (pending.remove(id) != null) {
                release(caller);
            }
        });
        return response;
    }

    private CompletableFuture<ObjectNode> send(long id, String method, JsonNode params, Caller caller, AnswerHook hook,
            Map<String, String> headers) {
        CompletableFuture<ObjectNode> response = tracked(id, caller, hook);
        // While it is being sent the request is the sender's to fail: a connection closing under it (as one does
        // when the backend refuses the message) must not hide whether the message was delivered.
        sending.add(id);
        CompletionStage<Void> sent;
        try {
            sent = sendAsync(JsonRpc.write(JsonRpc.request(LongNode.valueOf(id), method, params)), headers);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((ignored, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                // The cause stays the transport's exception: a NotDeliveredException lets the backend send the request again.
                response.completeExceptionally(new GatewayException(ErrorCode.BACKEND_UNAVAILABLE,
                        "backend '" + backendId + "' cannot be reached: " + closeReason().orElse(cause.getMessage()), cause));
            }
            sending.remove(id);
            if (closed.isDone() && !response.isDone()) {
                response.completeExceptionally(gone(closed.getNow(Optional.empty())));
            }
        });
        return response;
    }

    private void cancel(long id, String reason) {
        Pending call = pending.get(id);
        if (call != null && call.response().completeExceptionally(new GatewayException(ErrorCode.REQUEST_CANCELLED, reason))) {
            ObjectNode params = JsonRpc.MAPPER.createObjectNode().put("requestId", id);
            if (reason != null) {
                params.put("reason", reason);
            }
            notify("notifications/cancelled", params);
        }
    }

    void notify(String method, JsonNode params) {
        send(JsonRpc.notification(method, params));
    }

    /**
     * On a modern connection, opens {@code subscriptions/listen} for the list changes the backend announces it
     * sends; its notifications reach the {@link Listener} as a legacy backend's do. When the backend ends it, it is
     * opened again a moment later while the connection lives (at most {@value #MAX_LISTENS} times).
     */
    void listenForChanges() {
        JsonNode capabilities = initializeResult == null ? JsonRpc.MAPPER.createObjectNode() : initializeResult.path("capabilities");
        ObjectNode filter = JsonRpc.MAPPER.createObjectNode();
        for (ListKind kind : ListKind.values()) {
            if (capabilities.path(kind.capability()).path("listChanged").asBoolean(false)) {
                filter.put(kind.capability() + "ListChanged", true);
            }
        }
        synchronized (this) {
            if (era != Era.MODERN || filter.isEmpty() || !isOpen() || listens >= MAX_LISTENS) {
                return;
            }
            listens++;
            listenId = ids.incrementAndGet();
        }
        ObjectNode params = JsonRpc.MAPPER.createObjectNode();
        params.set("notifications", filter);
        ObjectNode sent = BackendMeta.envelope(params, Caller.GATEWAY.clientCapabilities(), Optional.empty());
        sendAsync(JsonRpc.write(JsonRpc.request(LongNode.valueOf(listenId), "subscriptions/listen", sent)),
                McpHeaders.of("subscriptions/listen", sent, tools)).whenComplete((ignored, error) -> {
                    if (error == null) {
                        undeliveredListens = 0;
                        return;
                    }
                    undeliveredListens++;
                    LOG.warn("Backend '{}': subscriptions/listen was not delivered (list changes not followed until it is): {}", backendId,
                            error.getMessage());
                    listenAgain();
                });
    }

    /** The backend ended the {@code subscriptions/listen}: it is opened again a moment later. */
    private void listenEnded(ObjectNode answer) {
        LOG.debug("Backend '{}' ended subscriptions/listen: {}", backendId, answer);
        listenAgain();
    }

    private void listenAgain() {
        long delay = Math.min(RELISTEN_DELAY_MILLIS << Math.min(undeliveredListens, 5), MAX_RELISTEN_DELAY_MILLIS);
        Thread.ofVirtual().name("relisten-" + backendId).start(() -> {
            try {
                Thread.sleep(delay);
                listenForChanges();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /**
     * Sends a message that expects no answer (an answer to the backend's request, or a notification); dropped when
     * the connection is gone. On an I/O thread without waiting for the transport to take it.
     */
    public void send(ObjectNode message) {
        if (era == Era.MODERN && JsonRpc.kind(message) == JsonRpc.Kind.NOTIFICATION
                && !"notifications/cancelled".equals(message.path("method").asText())) {
            // 2026-07-28 has no client notification but cancellation (roots/list_changed and initialized are gone)
            return;
        }
        String json = JsonRpc.write(message);
        if (IoThreads.onIoThread()) {
            sendAsync(json).whenComplete((ignored, error) -> {
                if (error != null) {
                    LOG.debug("Message to backend '{}' not delivered: {}", backendId, error.getMessage());
                }
            });
            return;
        }
        try {
            connection.send(json);
        } catch (IOException e) {
            LOG.debug("Message to backend '{}' not delivered: {}", backendId, e.getMessage());
        }
    }

    /** Sends through the transport; from an I/O thread, through a virtual thread when the transport's send blocks. */
    private CompletionStage<Void> sendAsync(String json) {
        return sendAsync(json, Map.of());
    }

    private CompletionStage<Void> sendAsync(String json, Map<String, String> headers) {
        BackendConnection open = connection;
        if (!IoThreads.onIoThread() || open.sendsWithoutBlocking()) {
            return open.sendAsync(json, headers);
        }
        CompletableFuture<Void> sent = new CompletableFuture<>();
        Thread.ofVirtual().name("backend-send-" + backendId).start(() -> open.sendAsync(json, headers).whenComplete((ignored, error) -> {
            if (error != null) {
                sent.completeExceptionally(error);
            } else {
                sent.complete(null);
            }
        }));
        return sent;
    }

    /** Whether requests go out without blocking the sender, so they may be sent from an I/O thread. */
    boolean sendsWithoutBlocking() {
        BackendConnection open = connection;
        return open != null && open.sendsWithoutBlocking();
    }

    /**
     * Sends a request of the gateway's own on this connection (e.g. {@code logging/setLevel}, or {@code tasks/get} for
     * the task that runs here), outside any lease, with the backend's request timeout.
     */
    public BackendCall request(String method, JsonNode params) {
        return request(method, params, requestTimeout, Caller.GATEWAY, AnswerHook.NONE);
    }

    /** Whether this connection was last leased to {@code session}, which makes it the session's for what it says on its own. */
    public synchronized boolean leasedBy(Caller.Session session) {
        return lastLessee != null && lastLessee.session() == session;
    }

    /**
     * The caller a request or notification the backend sent on its own belongs to, when that is certain: the only
     * session with calls in flight here, or else the last session this connection was leased to.
     */
    public Optional<Caller> attributedCaller() {
        Caller latest = null;
        long latestId = -1;
        for (Map.Entry<Long, Pending> entry : pending.entrySet()) {
            Caller caller = entry.getValue().caller();
            if (caller.session() == null) {
                continue;
            }
            if (latest != null && latest.session() != caller.session()) {
                return Optional.empty();
            }
            if (entry.getKey() > latestId) {
                latest = caller;
                latestId = entry.getKey();
            }
        }
        if (latest != null) {
            return Optional.of(latest);
        }
        synchronized (this) {
            return Optional.ofNullable(lastLessee);
        }
    }

    int inFlight() {
        return pending.size();
    }

    /** Whether nothing runs or is about to run here: no call in flight, none admitted, no lease. */
    synchronized boolean idle() {
        return pending.isEmpty() && sharedCalls == 0 && leaseHolder == null;
    }

    /** Whose connection it is: the scope of the callers it serves ({@link Upstream#scopeOf}). */
    public BackendScope scope() {
        return scope;
    }

    /** The fingerprint of the credentials this connection was opened with; only callers with the same use it. */
    String credentialKey() {
        return credentialKey;
    }

    public boolean isOpen() {
        BackendConnection open = connection;
        return open != null && open.isOpen() && !closed.isDone();
    }

    void close() {
        BackendConnection open = connection;
        if (open != null) {
            open.close();
        }
    }

    /**
     * Why the connection closed, if it did within a moment (on an I/O thread: already): "exited with code 2" beats
     * "Broken pipe".
     */
    private Optional<String> closeReason() {
        if (IoThreads.onIoThread()) {
            return closed.getNow(Optional.empty()).map(Throwable::getMessage);
        }
        try {
            return closed.get(CLOSE_REASON_WAIT_MILLIS, TimeUnit.MILLISECONDS).map(Throwable::getMessage);
        } catch (TimeoutException | ExecutionException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** What the transport hands in: the backend's messages, and the end of the connection. */
    private final class Inbound implements InboundHandler {

        /** Set once a new transport connection replaced this one's: its end is no longer news. */
        private volatile boolean retired;

        @Override
        public void onMessage(String json) {
            JsonNode message;
            try {
                message = JsonRpc.MAPPER.readTree(json);
            } catch (IOException e) {
                LOG.warn("Backend '{}' sent a line that is not JSON; ignored: {}", backendId, abbreviate(json));
                return;
            }
            switch (JsonRpc.kind(message)) {
                case RESPONSE -> {
                    Pending waiting = message.path("id").canConvertToLong() ? pending.get(message.path("id").asLong()) : null;
                    if (waiting == null && listenId != 0 && message.path("id").asLong() == listenId) {
                        listenEnded((ObjectNode) message);
                    } else if (waiting == null) {
                        LOG.debug("Backend '{}' answered a request that is no longer waiting (id {}); ignored", backendId, message.path("id"));
                    } else {
                        waiting.response().complete(waiting.hook().onAnswer(BackendClient.this, (ObjectNode) message));
                    }
                }
                case NOTIFICATION -> {
                    if (era == Era.MODERN && ACKNOWLEDGED.equals(message.path("method").asText())) {
                        LOG.debug("Backend '{}' listens: {}", backendId, message.path("params"));
                    } else {
                        listener.onNotification(BackendClient.this, (ObjectNode) message);
                    }
                }
                case REQUEST -> {
                    if ("ping".equals(message.path("method").asText())) {
                        send(JsonRpc.result(message.get("id"), JsonRpc.MAPPER.createObjectNode()));
                    } else {
                        listener.onRequest(BackendClient.this, (ObjectNode) message);
                    }
                }
                case INVALID -> LOG.warn("Backend '{}' sent a message that is not JSON-RPC 2.0; ignored: {}", backendId, abbreviate(json));
            }
        }

        @Override
        public void onClosed(Optional<Throwable> cause) {
            if (retired) {
                return;
            }
            closed.complete(cause);
            GatewayException gone = gone(cause);
            pending.forEach((id, waiting) -> {
                if (!sending.contains(id)) {
                    waiting.response().completeExceptionally(gone);
                }
            });
            if (!opening) {
                listener.onClosed(BackendClient.this, cause);
            }
        }
    }

    private GatewayException gone(Optional<Throwable> cause) {
        return new GatewayException(ErrorCode.BACKEND_UNAVAILABLE,
                "backend '" + backendId + "' connection closed" + cause.map(error -> ": " + error.getMessage()).orElse(""));
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
