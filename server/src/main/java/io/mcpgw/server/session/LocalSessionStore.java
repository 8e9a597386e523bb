package io.mcpgw.server.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.catalog.View;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.config.ServerConfig;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import io.mcpgw.spi.identity.Identity;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Sessions in this process, expiring after {@code server.sessionIdleTimeout} without a request, at most
 * {@code server.maxSessions} of them across all tenants.
 */
@Singleton
public final class LocalSessionStore implements SessionStore {

    private static final Logger LOG = LogManager.getLogger(LocalSessionStore.class);
    /** Where a stateless request's unsolicited messages go: it has no channel that outlives its answer. */
    private static final Consumer<ObjectNode> NOWHERE = message -> { };

    private final int maxSessions;
    private final Cache<String, ClientSession> sessions;

    @Inject
    LocalSessionStore(McpgwConfig config) {
        ServerConfig server = config.server();
        this.maxSessions = server.maxSessions();
        this.sessions = Caffeine.newBuilder()
                .expireAfterAccess(server.sessionIdleTimeout())
                .scheduler(Scheduler.systemScheduler())
                .removalListener((String id, ClientSession session, RemovalCause cause) -> {
                    if (session != null) {
                        session.close();
                        if (cause == RemovalCause.EXPIRED) {
                            LOG.info("Session {} expired after {} idle", abbreviate(id), server.sessionIdleTimeout());
                        }
                    }
                })
                .build();
    }

    /** Sessions initialized at the same instant may pass it together. */
    @Override
    public void requireRoom() {
        if (sessions.asMap().size() >= maxSessions) {
            throw new GatewayException(ErrorCode.THROTTLED, "The gateway has its " + maxSessions
                    + " sessions open (server.maxSessions); try again later");
        }
    }

    @Override
    public ClientSession create(View view, String protocolVersion, JsonNode clientCapabilities, Identity principal,
            Consumer<ObjectNode> unsolicited) {
        String id = SessionIds.next();
        ClientSession session = new ClientSession(id, view, protocolVersion, clientCapabilities, principal, unsolicited);
        sessions.put(id, session);
        return session;
    }

    @Override
    public ClientSession ephemeral(View view, Sessionless client, Identity principal) {
        return new ClientSession(view, client, principal, NOWHERE);
    }

    @Override
    public Optional<ClientSession> get(String id) {
        return Optional.ofNullable(sessions.getIfPresent(id));
    }

    @Override
    public boolean remove(String id) {
        ClientSession removed = sessions.asMap().remove(id);
        if (removed == null) {
            return false;
        }
        // the cache's removal listener runs later, on another thread; whoever removes a session sees it ended
        removed.close();
        return true;
    }

    @Override
    public long count() {
        return sessions.estimatedSize();
    }

    @Override
    public Collection<ClientSession> all() {
        return List.copyOf(sessions.asMap().values());
    }

    @Override
    public void endAll() {
        all().forEach(session -> remove(session.id()));
    }

    private static String abbreviate(String id) {
        return id.length() > 8 ? id.substring(0, 8) + "..." : id;
    }
}
