package io.mcpgw.server.egress;

import io.mcpgw.server.config.BackendConfig;
import io.mcpgw.server.config.Isolation;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which client sessions use one backend, and the scope each belongs to under the backend's {@code isolation}: its
 * own ({@code session}), its tenant's ({@code tenant}), or the pool every client shares ({@code shared}).
 * Connections of different scopes never serve the same call, and an isolated scope's connections end with its last
 * session.
 */
final class SessionScopes {

    private final BackendConfig config;
    private final Set<BackendScope.OneSession> sessions = ConcurrentHashMap.newKeySet();
    /** How many client sessions of each isolated scope use the backend. */
    private final Map<BackendScope, Integer> members = new ConcurrentHashMap<>();

    SessionScopes(BackendConfig config) {
        this.config = config;
    }

    /** Client sessions that have used the backend and are still open. */
    int sessionCount() {
        return sessions.size();
    }

    /**
     * Counts the caller's client session among those using the backend, on its first call here; true that first
     * time, when the caller must {@link #leave} once the session ends. Past {@code maxSessions} a new session is
     * refused at once.
     */
    boolean join(Caller caller) {
        BackendScope.OneSession session = new BackendScope.OneSession(caller.tenant(), caller.sessionId());
        if (sessions.contains(session)) {
            return false;
        }
        Integer max = config.maxSessions();
        boolean joined;
        if (max == null) {
            joined = sessions.add(session);
        } else {
            synchronized (sessions) {
                if (sessions.contains(session)) {
                    return false;
                }
                if (sessions.size() >= max) {
                    throw new GatewayException(ErrorCode.BACKEND_SATURATED, "backend '" + config.id() + "' serves its " + max
                            + " sessions (maxSessions); try again when one ends");
                }
                joined = sessions.add(session);
            }
        }
        if (joined && config.isolation() != Isolation.SHARED) {
            members.merge(scopeOf(caller), 1, Integer::sum);
        }
        return joined;
    }

    /** The caller's session ended; the isolated scope whose last session it was, if it was, for its connections to end. */
    Optional<BackendScope> leave(Caller caller) {
        if (!sessions.remove(new BackendScope.OneSession(caller.tenant(), caller.sessionId())) || config.isolation() == Isolation.SHARED) {
            return Optional.empty();
        }
        BackendScope scope = scopeOf(caller);
        return members.computeIfPresent(scope, (ignored, count) -> count == 1 ? null : count - 1) == null
                ? Optional.of(scope) : Optional.empty();
    }

    /** Whether a session of {@code scope} still uses the backend. */
    boolean inUse(BackendScope scope) {
        return members.containsKey(scope);
    }

    /** The scope of a client session of {@code tenant}. */
    BackendScope scopeOf(String sessionId, String tenant) {
        return switch (config.isolation()) {
            case SESSION -> new BackendScope.OneSession(tenant, sessionId);
            case TENANT -> new BackendScope.OneTenant(tenant);
            case SHARED -> BackendScope.SHARED;
        };
    }

    BackendScope scopeOf(Caller caller) {
        return caller == Caller.GATEWAY ? BackendScope.SHARED : scopeOf(caller.sessionId(), caller.tenant());
    }

    /** Whether the caller's calls go to a connection of its own scope rather than the pool. */
    boolean isolates(Caller caller) {
        return caller != Caller.GATEWAY && config.isolation() != Isolation.SHARED;
    }
}
