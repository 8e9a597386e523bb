package io.mcpgw.server.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.audit.AuditJournal;
import io.mcpgw.server.catalog.View;
import io.mcpgw.server.governance.Governance;
import io.mcpgw.server.session.ClientSession;
import io.mcpgw.server.session.SessionStore;
import io.mcpgw.server.session.Sessionless;
import io.mcpgw.spi.identity.Identity;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The one way every transport opens a client session: the gateway's room ({@code server.maxSessions}), the tenant's
 * admission ({@code maxSessions}, grants), the negotiated revision and capabilities, then the session, tracked until
 * it ends. Modern and stateless requests get a session of their own that nothing stores.
 */
@Singleton
public final class SessionOpener {

    private final SessionStore sessions;
    private final Governance governance;
    private final InitializeResult initializeResult;
    private final AuditJournal journal;

    @Inject
    SessionOpener(SessionStore sessions, Governance governance, InitializeResult initializeResult, AuditJournal journal) {
        this.sessions = sessions;
        this.governance = governance;
        this.initializeResult = initializeResult;
        this.journal = journal;
    }

    /**
     * A session opened by {@code initialize}, the result its client is answered with, and when that answer may go: once
     * the session's start is written to the audit journal, as for every other answer and its events.
     */
    public record Opened(ClientSession session, ObjectNode result, CompletableFuture<Void> recorded) {}

    /**
     * Opens the session {@code caller} asks for at {@code endpoint} with {@code initialize}'s {@code params}, its
     * messages that belong to no request going to the transport's {@code unsolicited}; throws a
     * {@link io.mcpgw.server.jsonrpc.GatewayException} when the gateway or the tenant has no room, or the tenant is refused.
     */
    public Opened open(View endpoint, Identity caller, JsonNode params, List<String> supported, Consumer<ObjectNode> unsolicited) {
        sessions.requireRoom();
        View granted = governance.admitSession(endpoint, caller);
        InitializeResult.Negotiated negotiated = initializeResult.negotiate(granted, params, supported);
        ClientSession session = sessions.create(granted, negotiated.protocolVersion(), params.path("capabilities"), caller, unsolicited);
        governance.track(session);
        return new Opened(session, negotiated.result(), journal.afterWritten(CompletableFuture.completedFuture(null)));
    }

    /** The answer to a stateless {@code initialize}: what {@code caller} would see at {@code endpoint}, with no session kept. */
    public ObjectNode describe(View endpoint, Identity caller, JsonNode params, List<String> supported) {
        return initializeResult.negotiate(governance.viewFor(endpoint, caller), params, supported).result();
    }

    /**
     * The session of one request outside any session (a modern request's, or a {@code server.stateless} one's), its
     * client as the request describes it: nothing stores it, and it ends with the request.
     */
    public ClientSession ephemeral(View endpoint, Identity caller, Sessionless client) {
        return sessions.ephemeral(governance.viewFor(endpoint, caller), client, caller);
    }
}
