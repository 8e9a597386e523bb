package io.mcpgw.server.egress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/** One initialized connection to a backend, as seen by what relays the backend's own requests and notifications. */
public interface BackendLink {

    String backendId();

    /** Sends a message (an answer to the backend's request, or a notification); dropped when the connection is gone. */
    void send(ObjectNode message);

    /**
     * The caller a request or notification the backend sent on its own belongs to, when that is certain: the only
     * session with calls in flight here, or else the last session this connection was leased to.
     */
    Optional<Caller> attributedCaller();

    /**
     * Sends a request of the gateway's own on this connection (e.g. {@code logging/setLevel}, or {@code tasks/get} for
     * the task that runs here), outside any lease, with the backend's request timeout.
     */
    BackendCall request(String method, JsonNode params);

    /** Whether this connection was last leased to {@code session}, which makes it the session's for what it says on its own. */
    boolean leasedBy(Object session);

    /** Whose connection it is: the scope of the callers it serves ({@link Backend#scopeOf}). */
    BackendScope scope();

    boolean isOpen();
}
