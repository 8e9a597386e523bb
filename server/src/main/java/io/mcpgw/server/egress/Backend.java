package io.mcpgw.server.egress;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.config.BackendConfig;
import io.mcpgw.server.jsonrpc.GatewayException;
import io.mcpgw.spi.credentials.Credentials;
import io.mcpgw.spi.transport.BackendTransport;
import io.mcpgw.spi.transport.NotDeliveredException;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One configured backend: the {@link Upstream} the layers above see, and what an operator does to it (drain,
 * enable, the circuit, the counts the admin API shows). Behind it: the {@link BackendSupervisor} (state, connecting
 * with backoff, health, drain), the {@link ConnectionPool} (which connection serves which caller), {@link Discovery} (what it offers), the
 * {@link SessionScopes} of its {@code isolation}, and the {@link BackendGuard} (circuit breaker and bulkhead).
 */
public final class Backend implements Upstream, BackendClient.Listener {

    private static final Logger LOG = LogManager.getLogger(Backend.class);

    private final BackendConfig config;
    private final BackendTransport transport;
    private final ServerMessages serverMessages;
    private final BackendGuard guard;
    private final SessionScopes scopes;
    private final ConnectionPool pool;
    private final Discovery discovery;
    private final BackendSupervisor supervisor;

    Backend(BackendConfig config, BackendTransport transport, Upstream.Events events, ServerMessages serverMessages,
            Supplier<Optional<Credentials>> gatewayCredentials, BackendSupervisor.Watcher watcher) {
        this.config = config;
        this.transport = transport;
        this.serverMessages = serverMessages;
        this.guard = new BackendGuard(config, watcher::circuitChanged);
        this.scopes = new SessionScopes(config);
        this.discovery = new Discovery(config.id(), config.requestTimeout(), lists -> events.onCatalogChanged(this, lists));
        this.pool = new ConnectionPool(config, transport, scopes, this, client -> serverMessages.onOpened(this, client),
                name -> discovery.snapshot().item(ListKind.TOOLS, name));
        this.supervisor = new BackendSupervisor(config, pool, discovery, gatewayCredentials, watcher,
                () -> events.onCatalogChanged(this, EnumSet.allOf(ListKind.class)));
    }

    @Override
    public String id() {
        return config.id();
    }

    @Override
    public BackendConfig config() {
        return config;
    }

    /** Client calls sent and not yet answered. */
    public int callsInFlight() {
        return supervisor.callsInFlight();
    }

    /** Client sessions that have used the backend and are still open. */
    public int sessionCount() {
        return scopes.sessionCount();
    }

    @Override
    public boolean join(Caller caller) {
        return scopes.join(caller);
    }

    @Override
    public void leave(Caller caller) {
        scopes.leave(caller).ifPresent(scope -> Thread.ofVirtual().name("end-scope-" + id()).start(() -> pool.endScope(scope)));
    }

    @Override
    public BackendScope scopeOf(String sessionId, String tenant) {
        return scopes.scopeOf(sessionId, tenant);
    }

    public BackendStatus status() {
        return supervisor.status();
    }

    @Override
    public boolean isUp() {
        return supervisor.isUp();
    }

    /** {@code closed}, {@code open} or {@code half_open}. */
    public String circuitState() {
        return guard.circuitState();
    }

    /** Closes the circuit breaker, as an operator does once the backend is fixed. */
    public void resetCircuit() {
        guard.resetCircuit();
    }

    @Override
    public BackendSnapshot snapshot() {
        return discovery.snapshot();
    }

    boolean tried() {
        return supervisor.tried();
    }

    /** Connects in the background, retrying with backoff until the backend answers; one configured disabled waits for enable. */
    void start() {
        supervisor.start();
    }

    /**
     * Refuses new calls, lets those in flight finish for up to {@code timeout}, then ends the connections (and so
     * the children) and stays disabled until {@link #enable}d.
     *
     * @return the calls still in flight when the time was up, which the stop cut short
     */
    public int drain(Duration timeout) throws InterruptedException {
        return supervisor.drain(timeout);
    }

    /** Starts a disabled backend again; false when it is not disabled (a draining one must finish first). */
    public boolean enable() {
        return supervisor.enable();
    }

    /**
     * Sends the request on a connection the lease rules admit its caller to (see {@link Caller}), waiting up to the
     * request timeout for one, with its hook seeing the answer as it arrives. The call fails with a
     * {@link GatewayException} when the backend is unavailable, busy, too slow, or the call is cancelled. A request
     * the edge serves on an I/O thread ({@link BackendRequest#onIoThread}) is sent at once when a connection is free
     * and sends without blocking, and otherwise waits on a virtual thread.
     */
    @Override
    public BackendCall call(BackendRequest request) {
        if (request.caller() == Caller.GATEWAY) {
            return leased(request);
        }
        try {
            supervisor.admitCall();
        } catch (GatewayException refused) {
            return new FailedCall(CompletableFuture.failedFuture(refused));
        }
        try {
            guard.admit();
        } catch (GatewayException refused) {
            supervisor.callEnded();
            return new FailedCall(CompletableFuture.failedFuture(refused));
        }
        BackendCall call = request.onIoThread() ? atOnceOrLater(request) : leased(request);
        // The caller hears the answer only once the circuit has counted it: a client that sends its next call the
        // moment it has this one's answer finds the circuit as this call left it.
        CompletableFuture<ObjectNode> counted = new CompletableFuture<>();
        call.response().whenComplete((response, error) -> {
            supervisor.callEnded();
            guard.ended(error);
            if (error != null) {
                counted.completeExceptionally(error);
            } else {
                counted.complete(response);
            }
        });
        return new CountedCall(counted, call);
    }

    private record CountedCall(CompletableFuture<ObjectNode> response, BackendCall counting) implements BackendCall {
        @Override
        public void cancel(String reason) {
            counting.cancel(reason);
        }
    }

    /**
     * On an I/O thread, where nothing may wait: sends at once on a connection that is free for the caller and sends
     * without blocking, else leaves the call to a virtual thread that may wait for one.
     */
    private BackendCall atOnceOrLater(BackendRequest request) {
        BackendClient ready = pool.leaseAtOnce(request.caller(), CredentialKey.of(request.credentials()));
        if (ready != null) {
            return retriedIfNeverDelivered(ready, send(ready, request), request);
        }
        DeferredCall later = new DeferredCall();
        // The call's trace goes along: an HTTP backend gets its traceparent from the context it is sent in.
        Thread.ofVirtual().name("backend-call-" + id()).start(Context.current().wrap(() -> {
            if (!later.cancelled()) {
                later.attach(leased(request));
            }
        }));
        return later;
    }

    /**
     * Sends on a leased connection. A request the transport proves never reached the backend (the connection had
     * broken unnoticed) is sent once more, on another connection; one that may have arrived is never sent twice.
     */
    private BackendCall leased(BackendRequest request) {
        try {
            BackendClient client = lease(request);
            return retriedIfNeverDelivered(client, send(client, request), request);
        } catch (GatewayException e) {
            return new FailedCall(CompletableFuture.failedFuture(e));
        }
    }

    private BackendClient lease(BackendRequest request) {
        return pool.lease(request.caller(), request.credentials(), () -> supervisor.status().detail());
    }

    private BackendCall send(BackendClient client, BackendRequest request) {
        return client.request(request.method(), request.params(), config.requestTimeout(), request.caller(), request.hook());
    }

    private BackendCall retriedIfNeverDelivered(BackendClient client, BackendCall call, BackendRequest request) {
        if (call.response().isDone() && !neverDelivered(call)) {
            return call;
        }
        DeferredCall retried = new DeferredCall();
        retried.sending(call);
        call.response().whenComplete((answer, error) -> {
            if (!neverDelivered(call)) {
                retried.attach(call);
                return;
            }
            Thread.ofVirtual().name("backend-resend-" + id()).start(() -> {
                LOG.info("Backend '{}': {} did not reach a broken connection; sending it on another", id(), request.method());
                client.close();
                if (retried.cancelled()) {
                    return;
                }
                try {
                    retried.attach(send(lease(request), request));
                } catch (GatewayException e) {
                    retried.attach(new FailedCall(CompletableFuture.failedFuture(e)));
                }
            });
        });
        return retried;
    }

    private static boolean neverDelivered(BackendCall call) {
        if (!call.response().isCompletedExceptionally()) {
            return false;
        }
        try {
            call.response().getNow(null);
            return false;
        } catch (CompletionException | CancellationException e) {
            return e.getCause() instanceof GatewayException failed && failed.getCause() instanceof NotDeliveredException;
        }
    }

    @Override
    public CompletableFuture<BackendClient> clientFor(Caller caller, Optional<Credentials> credentials) {
        return pool.clientFor(caller, credentials);
    }

    @Override
    public List<BackendClient> clients() {
        return List.copyOf(pool.open());
    }

    private record FailedCall(CompletableFuture<ObjectNode> response) implements BackendCall {
        @Override
        public void cancel(String reason) {}
    }

    @Override
    public void onNotification(BackendClient client, ObjectNode notification) {
        Discovery.changedBy(notification).ifPresentOrElse(lists -> discovery.rediscover(client, lists),
                () -> serverMessages.onNotification(this, client, notification));
    }

    @Override
    public void onRequest(BackendClient client, ObjectNode request) {
        serverMessages.onRequest(this, client, request);
    }

    @Override
    public void onReleased(BackendClient client) {
        pool.released();
    }

    @Override
    public void onClosed(BackendClient client, Optional<Throwable> cause) {
        serverMessages.onClosed(client);
        pool.released();
        // A session's or tenant's connection is opened again on the scope's next call: the backend's status is the pool's.
        boolean pooled = client.scope().equals(BackendScope.SHARED);
        boolean lastPooled = pool.closedLastPooled(client);
        if (!pooled || pool.closed() || cause.isEmpty() || supervisor.heldBack()) {
            return;
        }
        LOG.warn("Backend '{}' connection lost: {}", id(), cause.get().getMessage());
        if (lastPooled) {
            supervisor.lostEveryConnection(cause.get());
        }
    }

    void close() {
        supervisor.close();
        pool.close();
        transport.close();
    }
}
