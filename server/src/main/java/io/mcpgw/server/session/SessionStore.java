package io.mcpgw.server.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.catalog.View;
import io.mcpgw.spi.identity.Identity;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Consumer;

/** The client sessions of this gateway. A cluster replaces the local store with a shared one. */
public interface SessionStore {

    /**
     * Refuses a new session while {@code server.maxSessions} are open: asked before a session is admitted, so
     * a refusal holds nothing.
     */
    void requireRoom();

    /** A new session, whose messages that belong to no request of the client's go to {@code unsolicited} (the transport's). */
    ClientSession create(View view, String protocolVersion, JsonNode clientCapabilities, Identity principal,
            Consumer<ObjectNode> unsolicited);

    /**
     * A session that lives for one request and is kept nowhere, for a modern (2026-07-28) request or a
     * {@code server.stateless} deployment's, its client as the request describes it; what it is sent outside the
     * request's answer is dropped, as no channel of its outlives the answer.
     */
    ClientSession ephemeral(View view, Sessionless client, Identity principal);

    /** The live session with this id; reading it counts as activity. */
    Optional<ClientSession> get(String id);

    /** Ends a session; true if it existed. */
    boolean remove(String id);

    Collection<ClientSession> all();

    /** About how many sessions are open (one just expired may count until it is swept), without copying them. */
    long count();

    /** Ends every session, as a stopping gateway does once the calls in flight are answered. */
    void endAll();
}
