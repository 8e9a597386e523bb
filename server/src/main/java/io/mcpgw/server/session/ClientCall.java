package io.mcpgw.server.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.egress.BackendCall;
import io.mcpgw.server.egress.Caller;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One request of a client's while the gateway serves it. What a backend sends about it (progress, log messages,
 * requests to the client) goes to {@link #deliver}, which the transport delivers with the request's answer (on the
 * POST's SSE stream, or the WebSocket) while it is served.
 */
public final class ClientCall implements Caller {

    private final ClientSession session;
    private final JsonNode id;
    private final Consumer<ObjectNode> related;
    private volatile BackendCall backendCall;
    private volatile boolean cancelledByClient;
    private volatile boolean ended;
    private final List<Runnable> endActions = new CopyOnWriteArrayList<>();
    private final List<String> missingCapabilities = new CopyOnWriteArrayList<>();

    public ClientCall(ClientSession session, JsonNode id, Consumer<ObjectNode> related) {
        this.session = session;
        this.id = id;
        this.related = related;
    }

    @Override
    public ClientSession session() {
        return session;
    }

    @Override
    public String sessionId() {
        return session.id();
    }

    @Override
    public String tenant() {
        return session.principal().tenant();
    }

    /**
     * Whether the call needs a backend connection no other caller uses meanwhile, so that what the backend sends on
     * its own is known to be about it: its client can be asked things, or it is a modern request that asked for log
     * messages (a modern client has no session for them to go to otherwise).
     */
    @Override
    public JsonNode clientCapabilities() {
        return session.clientCapabilities();
    }

    @Override
    public boolean exclusive() {
        return session.mayBeAsked() || session.modern() && session.logLevel().isPresent();
    }

    /** The client's id for the request. */
    public JsonNode id() {
        return id;
    }

    @Override
    public void deliver(ObjectNode message) {
        if (session.isClosed() || !session.wants(message)) {
            return;
        }
        if (inFlight()) {
            related.accept(message);
        } else {
            session.sendUnsolicited(message);
        }
    }

    /** The request went to a backend: from now on the client can cancel it there. */
    public void forwarded(BackendCall call) {
        backendCall = call;
        if (cancelledByClient) {
            call.cancel("cancelled by the client");
        }
    }

    /** The client's {@code notifications/cancelled}: the backend is told, and the client gets no answer. */
    public void cancel(String reason) {
        cancelledByClient = true;
        BackendCall call = backendCall;
        if (call != null) {
            call.cancel(reason);
        }
    }

    /** Whether the request is still being served (its answer has not gone out). */
    public boolean inFlight() {
        return !ended;
    }

    /** Runs {@code action} when the call ends. */
    public void whenEnded(Runnable action) {
        endActions.add(action);
        if (ended) {
            action.run();
        }
    }

    void end() {
        ended = true;
        endActions.forEach(Runnable::run);
    }

    /**
     * A backend asked the client something during the call that needs {@code capability} (dotted, e.g.
     * {@code elicitation.url}), which the client did not declare: a modern client's answer then says so.
     */
    public void lacked(String capability) {
        if (!missingCapabilities.contains(capability)) {
            missingCapabilities.add(capability);
        }
    }

    /** The capabilities the call needed of its client and the client lacked. */
    public List<String> missingCapabilities() {
        return List.copyOf(missingCapabilities);
    }

    /** Whether the client cancelled it; then nothing more is sent for it, not even its answer. */
    public boolean cancelledByClient() {
        return cancelledByClient;
    }
}
