package io.mcpgw.server.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.catalog.View;
import io.mcpgw.server.egress.Caller;
import io.mcpgw.server.monitor.MonitoredSession;
import io.mcpgw.spi.identity.Identity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One client's MCP session: what it negotiated at {@code initialize} (revision, capabilities, who it belongs to, which
 * view it uses, the log level it asked for) and its calls in flight. Where the messages it did not ask for go is the
 * transport's, named when the session is created: the Streamable HTTP session's GET stream, or the one channel of a
 * WebSocket or 2024-11-05 SSE session.
 */
public final class ClientSession implements Caller.Session, MonitoredSession {

    private final String id;
    private final View view;
    private final String protocolVersion;
    private final JsonNode clientCapabilities;
    private final Identity principal;
    private final Consumer<ObjectNode> unsolicited;
    private final boolean mayBeAsked;
    private final Map<JsonNode, ClientCall> calls = new ConcurrentHashMap<>();
    private final List<Runnable> closeActions = new CopyOnWriteArrayList<>();
    private final Optional<String> correlation;
    private final boolean modern;
    /** Null for a sessionless request that asked for no log messages. */
    private volatile LogLevel logLevel = LogLevel.DEBUG;
    private volatile boolean closed;
    private final long createdNanos = System.nanoTime();

    ClientSession(String id, View view, String protocolVersion, JsonNode clientCapabilities, Identity principal,
            Consumer<ObjectNode> unsolicited) {
        this(id, view, protocolVersion, false, clientCapabilities, principal, unsolicited, Optional.empty());
    }

    /** The session of one request outside any session: nothing stores it, and its client said in the request what it is. */
    ClientSession(View view, Sessionless client, Identity principal, Consumer<ObjectNode> unsolicited) {
        this("", view, client, principal, unsolicited);
    }

    /**
     * A session outside any session that lives longer than one request (a {@code subscriptions/listen} stream's): its
     * {@code id} is its own, so the backends count it, and end the backend session that served it alone, apart from
     * the requests outside any session, which share the empty id.
     */
    ClientSession(String id, View view, Sessionless client, Identity principal, Consumer<ObjectNode> unsolicited) {
        this(id, view, client.protocolVersion(), client.modern(), client.clientCapabilities(), principal, unsolicited, client.correlation());
        this.logLevel = client.logLevel().orElse(null);
    }

    private ClientSession(String id, View view, String protocolVersion, boolean modern, JsonNode clientCapabilities, Identity principal,
            Consumer<ObjectNode> unsolicited, Optional<String> correlation) {
        this.id = id;
        this.modern = modern;
        this.correlation = correlation;
        this.principal = principal;
        this.view = view;
        this.protocolVersion = protocolVersion;
        this.clientCapabilities = clientCapabilities;
        this.unsolicited = unsolicited;
        this.mayBeAsked = clientCapabilities.has("sampling") || clientCapabilities.has("elicitation") || clientCapabilities.has("roots");
    }

    @Override
    public String id() {
        return id;
    }

    public View view() {
        return view;
    }

    @Override
    public Optional<String> agentName() {
        return view.agent().map(agent -> agent.name());
    }

    /** Who the session belongs to, decided at {@code initialize}; every later request must come from the same principal. */
    @Override
    public Identity principal() {
        return principal;
    }

    @Override
    public String protocolVersion() {
        return protocolVersion;
    }

    /**
     * For a request outside any session, the correlation its client named ({@code _meta["io.mcpgw/correlation"]}):
     * with the principal and the endpoint, the key its halting counts are kept under.
     */
    public Optional<String> correlation() {
        return correlation;
    }

    /** Whether the session is one request's, outside any session (a modern request, or {@code server.stateless}). */
    public boolean sessionless() {
        return id.isEmpty();
    }

    /**
     * Whether the client speaks a modern revision (2026-07-28): it is sent nothing but its requests' notifications
     * and answers, never a request of a backend's.
     */
    public boolean modern() {
        return modern;
    }

    public JsonNode clientCapabilities() {
        return clientCapabilities;
    }

    /** Whether the client declared it can be asked things: sampling, elicitation or roots. */
    public boolean mayBeAsked() {
        return mayBeAsked;
    }

    /** Sends a message that belongs to no request of the client's, where the transport said such messages go. */
    public void sendUnsolicited(ObjectNode message) {
        unsolicited.accept(message);
    }

    /** Starts a call for one of the client's requests; it can be cancelled by the client's id until it ends. */
    public ClientCall startCall(JsonNode requestId, Consumer<ObjectNode> related) {
        ClientCall call = new ClientCall(this, requestId, related);
        calls.put(requestId, call);
        return call;
    }

    public void endCall(ClientCall call) {
        calls.remove(call.id(), call);
        call.end();
    }

    /** The call in flight with the client's id, for cancellation. */
    public Optional<ClientCall> call(JsonNode requestId) {
        return Optional.ofNullable(calls.get(requestId));
    }

    /** The client's requests in flight. */
    public int inFlight() {
        return calls.size();
    }

    /** How long ago the session began. */
    @Override
    public Duration age() {
        return Duration.ofNanos(System.nanoTime() - createdNanos);
    }

    /**
     * The lowest severity of log message the client asked for with {@code logging/setLevel} (or, outside a session,
     * in the request's {@code _meta}); empty when it asked for none.
     */
    public Optional<LogLevel> logLevel() {
        return Optional.ofNullable(logLevel);
    }

    public void logLevel(LogLevel level) {
        logLevel = level;
    }

    /**
     * Whether the client wants {@code message}: any message but a log message below the level it asked for, or any
     * log message when it asked for none.
     */
    public boolean wants(ObjectNode message) {
        LogLevel wanted = logLevel;
        return !message.path("method").asText().equals("notifications/message") || wanted != null && LogLevel.of(message).compareTo(wanted) >= 0;
    }

    /** Runs {@code action} when the session ends (at once if it has). */
    public void onClose(Runnable action) {
        synchronized (closeActions) {
            if (!closed) {
                closeActions.add(action);
                return;
            }
        }
        action.run();
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Cancels the calls in flight and runs the close actions (the transport's streams end among them); called when the
     * session is deleted or expires. Only the first call does anything, and a call at the same time returns once it
     * is done: whoever removes a session sees it ended (its tenant's place given back) even when the store's removal
     * listener got there first.
     */
    void close() {
        synchronized (closeActions) {
            if (closed) {
                return;
            }
            closed = true;
            calls.values().forEach(call -> call.cancel("the session ended"));
            closeActions.forEach(Runnable::run);
        }
    }
}
