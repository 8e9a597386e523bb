package io.mcpgw.server.session;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.server.catalog.View;
import io.mcpgw.spi.identity.Identity;
import java.util.Collection;
import java.util.Optional;

/** The client sessions of this gateway. A cluster replaces the local store with a shared one. */
public interface SessionStore {

    /**
     * Refuses a new session while {@code server.maxSessions} are open: asked before a session is admitted, so
     * a refusal holds nothing.
     */
    void requireRoom();

    ClientSession create(View view, String protocolVersion, JsonNode clientCapabilities, Identity principal);

    /** A session that lives for one request and is kept nowhere, for {@code server.stateless} deployments. */
    ClientSession ephemeral(View view, String protocolVersion, Identity principal);

    /** The live session with this id; reading it counts as activity. */
    Optional<ClientSession> get(String id);

    /** Ends a session; true if it existed. */
    boolean remove(String id);

    Collection<ClientSession> all();

    /** About how many sessions are open (one just expired may count until it is swept), without copying them. */
    long count();

    /** Ends the streams that only wait for news (each session's GET stream); answers in flight keep theirs. */
    void closeStandaloneStreams();

    /** Ends every session, as a stopping gateway does once the calls in flight are answered. */
    void endAll();
}
