package io.mcpgw.server.egress;

import io.mcpgw.server.config.BackendConfig;
import io.mcpgw.spi.credentials.Credentials;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A backend as the layers above egress use it: what it is, what it offers, whether it is served, and calls to it.
 * What only an operator does (drain, enable, the circuit, the counts the admin API shows) is on {@link Backend},
 * which {@link BackendManager} hands to the admin layer.
 */
public interface Upstream {

    /** Told when what a backend offers changed: at start, on re-discovery, when it goes away or comes back. */
    interface Events {
        void onCatalogChanged(Upstream upstream, Set<ListKind> lists);
    }

    String id();

    BackendConfig config();

    /** What it offers, as last discovered. */
    BackendSnapshot snapshot();

    /** Whether it is served: up, or degraded but still answering. */
    boolean isUp();

    /**
     * Sends the request on a connection the lease rules admit its caller to (see {@link Caller}), with its hook
     * seeing the answer as it arrives; the call fails with a {@link io.mcpgw.server.jsonrpc.GatewayException} when
     * the backend is unavailable, busy, too slow, or the call is cancelled.
     */
    BackendCall call(BackendRequest request);

    /**
     * Counts the caller's client session among those using the backend, on its first call here; true that first
     * time, when the caller must {@link #leave} once the session ends. Past {@code maxSessions} a new session is
     * refused at once.
     */
    boolean join(Caller caller);

    /** The caller's session ended: with the last session of its scope, the scope's connections end too. */
    void leave(Caller caller);

    /** Whose connections serve a client session (see {@link BackendScope}); what a connection says on its own goes to its scope's sessions alone. */
    BackendScope scopeOf(String sessionId, String tenant);

    /**
     * The backend session that serves {@code caller}'s scope, for what the gateway sends there on the caller's
     * behalf (a resource subscription): with {@code shared} isolation the first open one; otherwise the scope's own,
     * opened now if it has none (on a virtual thread when asked on an I/O thread).
     */
    CompletableFuture<BackendClient> clientFor(Caller caller, Optional<Credentials> credentials);

    /** The open backend sessions. */
    List<BackendClient> clients();
}
