package io.mcpgw.server.egress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.config.BackendConfig;
import io.mcpgw.server.config.Isolation;
import io.mcpgw.server.io.IoThreads;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.spi.credentials.Credentials;
import io.mcpgw.spi.transport.BackendTransport;
import io.mcpgw.spi.transport.NotDeliveredException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One configured backend: a pool of initialized connections (calls go to the least busy; a dead one is replaced
 * when next needed), what the backend offers (discovered at start and again on each {@code list_changed}), and
 * its status. A backend that fails to start, or loses every connection, is retried with backoff while the
 * gateway serves without it. Unless its {@code isolation} is {@code shared}, the pool serves only the gateway's
 * own requests, and each client session (or tenant) gets a connection of its own, opened on its first call and
 * ended with it: the backend sees what it would see if that client had connected directly.
 */
public final class Backend implements BackendClient.Listener {

    /** Told when what a backend offers changed: at start, on re-discovery, when it goes away or comes back. */
    public interface Events {
        void onCatalogChanged(Backend backend, Set<ListKind> lists);
    }

    /** Told of the backend's state changes an operator cares about: its circuit, its health, being held back. */
    interface Watcher {
        void circuitChanged(String from, String to);

        void stateChanged(BackendStatus from, BackendStatus to);
    }

    private static final Logger LOG = LogManager.getLogger(Backend.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration MAX_RETRY = Duration.ofSeconds(30);
    private static final int MAX_PAGES = 1000;
    private static final long DRAIN_POLL_MILLIS = 10;
    /** The scope of the pool's connections: the gateway's own, and with {@code shared} isolation every client's. */
    private static final Object SHARED_SCOPE = "shared";

    /**
     * One client session of a tenant: the scope of its calls under {@code session} isolation. Requests outside any
     * session ({@code server.stateless}) all have the empty id, so they share one per tenant.
     */
    private record SessionScope(String tenant, String sessionId) {}

    /** The scope of the sessions of one tenant, under {@code tenant} isolation. */
    private record TenantScope(String tenant) {}

    /** An isolated scope's connection is also keyed by the credentials it was opened with. */
    private record ScopeKey(Object scope, String credentials) {}

    private final BackendConfig config;
    private final BackendTransport transport;
    private final Events events;
    private final ServerMessages serverMessages;
    private final BackendClient[] slots;
    /** A lock rather than synchronized: opening a slot blocks on I/O, which would pin a virtual thread's carrier. */
    private final ReentrantLock slotLock = new ReentrantLock();
    /** Signalled when a call ends, for callers waiting to be admitted; {@link #waiters} spares the signal otherwise. */
    private final Condition released = slotLock.newCondition();
    private final AtomicInteger waiters = new AtomicInteger();
    private final CountDownLatch firstTry = new CountDownLatch(1);
    private final AtomicBoolean reconnecting = new AtomicBoolean();
    private volatile BackendStatus status = BackendStatus.STARTING;
    private volatile BackendSnapshot snapshot = BackendSnapshot.EMPTY;
    private final ReentrantLock discovering = new ReentrantLock();
    private volatile boolean closed;

    private final Supplier<Optional<Credentials>> gatewayCredentials;
    private final BackendGuard guard;
    private final Watcher watcher;
    private final HealthProbe health;
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile String serverName = "";
    /** Guards moves into and out of the operator's states, so a connection coming up cannot undo a disable. */
    private final Object control = new Object();
    private final AtomicInteger callsInFlight = new AtomicInteger();
    private final Set<SessionScope> sessions = ConcurrentHashMap.newKeySet();
    /** The connection of each isolated scope (a client session, or a tenant) and credentials; changed under {@link #slotLock}. */
    private final Map<ScopeKey, BackendClient> scoped = new ConcurrentHashMap<>();
    /** How many client sessions of each isolated scope use the backend: the scope's connections end with the last. */
    private final Map<Object, Integer> members = new ConcurrentHashMap<>();

    Backend(BackendConfig config, BackendTransport transport, Events events, ServerMessages serverMessages,
            Supplier<Optional<Credentials>> gatewayCredentials, Watcher watcher) {
        this.config = config;
        this.watcher = watcher;
        this.guard = new BackendGuard(config, watcher::circuitChanged);
        this.health = new HealthProbe(config.health(), this::openClients);
        this.gatewayCredentials = gatewayCredentials;
        this.transport = transport;
        this.events = events;
        this.serverMessages = serverMessages;
        this.slots = new BackendClient[config.isolation() == Isolation.SHARED ? Math.max(1, transport.maxConnections()) : 1];
    }

    public String id() {
        return config.id();
    }

    public BackendConfig config() {
        return config;
    }

    /** Client calls sent and not yet answered. */
    public int callsInFlight() {
        return callsInFlight.get();
    }

    /** Client sessions that have used the backend and are still open. */
    public int sessionCount() {
        return sessions.size();
    }

    /**
     * Counts the caller's client session among those using the backend, on its first call here; true that first
     * time, when the caller must {@link #leave} once the session ends. Past {@code maxSessions} a new session is
     * refused at once.
     */
    public boolean join(Caller caller) {
        SessionScope session = new SessionScope(caller.tenant(), caller.sessionId());
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
                    throw new GatewayException(ErrorCode.BACKEND_SATURATED, "backend '" + id() + "' serves its " + max
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

    /** The caller's session ended: with the last session of its scope, the scope's connections end too. */
    public void leave(Caller caller) {
        if (!sessions.remove(new SessionScope(caller.tenant(), caller.sessionId())) || config.isolation() == Isolation.SHARED) {
            return;
        }
        Object scope = scopeOf(caller);
        if (members.computeIfPresent(scope, (ignored, count) -> count == 1 ? null : count - 1) == null) {
            Thread.ofVirtual().name("end-scope-" + id()).start(() -> endScope(scope));
        }
    }

    /**
     * Whose connections serve a client session: its own ({@code session} isolation), its tenant's ({@code tenant}),
     * or the pool every client shares ({@code shared}). Connections of different scopes never serve the same call,
     * and what a connection says on its own goes to its scope's sessions alone.
     */
    public Object scopeOf(String sessionId, String tenant) {
        return switch (config.isolation()) {
            case SESSION -> new SessionScope(tenant, sessionId);
            case TENANT -> new TenantScope(tenant);
            case SHARED -> SHARED_SCOPE;
        };
    }

    private Object scopeOf(Caller caller) {
        return caller == Caller.GATEWAY ? SHARED_SCOPE : scopeOf(caller.sessionId(), caller.tenant());
    }

    private boolean isolates(Caller caller) {
        return caller != Caller.GATEWAY && config.isolation() != Isolation.SHARED;
    }

    public BackendStatus status() {
        return status;
    }

    /** Whether it is served: up, or degraded but still answering. */
    public boolean isUp() {
        return status.state() == BackendStatus.State.UP || status.state() == BackendStatus.State.DEGRADED;
    }

    /** {@code closed}, {@code open} or {@code half_open}. */
    public String circuitState() {
        return guard.circuitState();
    }

    /** Closes the circuit breaker, as an operator does once the backend is fixed. */
    public void resetCircuit() {
        guard.resetCircuit();
    }

    public BackendSnapshot snapshot() {
        return snapshot;
    }

    boolean tried() {
        return firstTry.getCount() == 0;
    }

    /** Connects in the background, retrying with backoff until the backend answers; one configured disabled waits for enable. */
    void start() {
        if (!config.enabled()) {
            status = BackendStatus.DISABLED;
            firstTry.countDown();
            return;
        }
        reconnecting.set(true);
        Thread.ofVirtual().name("connect-" + id()).start(this::connectUntilUp);
    }

    /**
     * Refuses new calls, lets those in flight finish for up to {@code timeout}, then ends the connections (and so
     * the children) and stays disabled until {@link #enable}d.
     *
     * @return the calls still in flight when the time was up, which the stop cut short
     */
    public int drain(Duration timeout) throws InterruptedException {
        BackendStatus before;
        synchronized (control) {
            before = status;
            if (before.heldBack()) {
                return 0;
            }
            status = BackendStatus.DRAINING;
        }
        watcher.stateChanged(before, BackendStatus.DRAINING);
        events.onCatalogChanged(this, EnumSet.allOf(ListKind.class));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (callsInFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(DRAIN_POLL_MILLIS);
        }
        int cutShort = callsInFlight.get();
        closeConnections();
        status = BackendStatus.DISABLED;
        watcher.stateChanged(BackendStatus.DRAINING, BackendStatus.DISABLED);
        return cutShort;
    }

    /** Starts a disabled backend again; false when it is not disabled (a draining one must finish first). */
    public boolean enable() {
        BackendStatus before;
        synchronized (control) {
            before = status;
            if (before.state() != BackendStatus.State.DISABLED) {
                return false;
            }
            status = BackendStatus.STARTING;
        }
        watcher.stateChanged(before, BackendStatus.STARTING);
        if (reconnecting.compareAndSet(false, true)) {
            Thread.ofVirtual().name("connect-" + id()).start(this::connectUntilUp);
        }
        return true;
    }

    /**
     * Sends a request for {@code caller} on a connection the lease rules admit it to (see {@link Caller}), waiting
     * up to the request timeout for one. The call fails with a {@link GatewayException} when the backend is
     * unavailable, busy, too slow, or the call is cancelled.
     */
    public BackendCall call(String method, JsonNode params, Caller caller) {
        return call(method, params, caller, AnswerHook.NONE, Optional.empty());
    }

    /**
     * As {@link #call(String, JsonNode, Caller)}, on a connection opened with {@code credentials} (see
     * {@link CredentialKey}), with {@code hook} seeing the answer as it arrives.
     */
    public BackendCall call(String method, JsonNode params, Caller caller, AnswerHook hook, Optional<Credentials> credentials) {
        if (caller == Caller.GATEWAY) {
            return leased(method, params, caller, hook, credentials);
        }
        // Counted before the state is read, so a drain that saw no call in flight cannot miss this one.
        callsInFlight.incrementAndGet();
        try {
            BackendStatus now = status;
            if (now.heldBack()) {
                throw new GatewayException(ErrorCode.BACKEND_UNAVAILABLE, "backend '" + id() + "' is "
                        + (now.state() == BackendStatus.State.DRAINING ? "draining" : "disabled") + " by an operator");
            }
            guard.admit();
        } catch (GatewayException refused) {
            callsInFlight.decrementAndGet();
            return new FailedCall(CompletableFuture.failedFuture(refused));
        }
        BackendCall call = IoThreads.onIoThread() ? atOnceOrLater(method, params, caller, hook, credentials)
                : leased(method, params, caller, hook, credentials);
        call.response().whenComplete((response, error) -> {
            callsInFlight.decrementAndGet();
            guard.ended(error);
        });
        return call;
    }

    /**
     * On an I/O thread, where nothing may wait: sends at once on a connection that is free for the caller and sends
     * without blocking, else leaves the call to a virtual thread that may wait for one.
     */
    private BackendCall atOnceOrLater(String method, JsonNode params, Caller caller, AnswerHook hook, Optional<Credentials> credentials) {
        BackendClient ready = leaseAtOnce(caller, CredentialKey.of(credentials));
        if (ready != null) {
            return retriedIfNeverDelivered(ready, ready.request(method, params, config.requestTimeout(), caller, hook),
                    method, params, caller, hook, credentials);
        }
        DeferredCall later = new DeferredCall();
        Thread.ofVirtual().name("backend-call-" + id()).start(() -> {
            if (!later.cancelled()) {
                later.attach(leased(method, params, caller, hook, credentials));
            }
        });
        return later;
    }

    /**
     * Sends on a leased connection. A request the transport proves never reached the backend (the connection had
     * broken unnoticed) is sent once more, on another connection; one that may have arrived is never sent twice.
     */
    private BackendCall leased(String method, JsonNode params, Caller caller, AnswerHook hook, Optional<Credentials> credentials) {
        try {
            BackendClient client = lease(caller, credentials);
            return retriedIfNeverDelivered(client, client.request(method, params, config.requestTimeout(), caller, hook),
                    method, params, caller, hook, credentials);
        } catch (GatewayException e) {
            return new FailedCall(CompletableFuture.failedFuture(e));
        }
    }

    private BackendCall retriedIfNeverDelivered(BackendClient client, BackendCall call, String method, JsonNode params, Caller caller,
            AnswerHook hook, Optional<Credentials> credentials) {
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
                LOG.info("Backend '{}': {} did not reach a broken connection; sending it on another", id(), method);
                client.close();
                if (retried.cancelled()) {
                    return;
                }
                try {
                    retried.attach(lease(caller, credentials).request(method, params, config.requestTimeout(), caller, hook));
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

    /** The open connections. */
    public List<BackendLink> links() {
        return List.copyOf(openClients());
    }

    private record FailedCall(CompletableFuture<ObjectNode> response) implements BackendCall {
        @Override
        public void cancel(String reason) {}
    }

    /** Pings the connections at the health interval while the backend lives, and moves its state by what it finds. */
    private void probeUntilClosed() {
        try {
            while (!closed) {
                Thread.sleep(health.interval().toMillis());
                BackendStatus.State now = status.state();
                if (now == BackendStatus.State.STARTING || now == BackendStatus.State.FAILED || status.heldBack()) {
                    continue;
                }
                Optional<HealthProbe.Verdict> verdict = health.round();
                if (verdict.isEmpty() || closed) {
                    continue;
                }
                BackendStatus.State next = switch (verdict.get()) {
                    case HEALTHY -> BackendStatus.State.UP;
                    case SLOW -> BackendStatus.State.DEGRADED;
                    case UNANSWERED -> health.unavailable() ? BackendStatus.State.UNAVAILABLE : BackendStatus.State.DEGRADED;
                };
                moveTo(next);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void moveTo(BackendStatus.State next) {
        BackendStatus before;
        BackendStatus after;
        synchronized (control) {
            before = status;
            BackendStatus.State now = before.state();
            if (now == next || now == BackendStatus.State.STARTING || now == BackendStatus.State.FAILED || before.heldBack()) {
                return;
            }
            after = new BackendStatus(next, next == BackendStatus.State.UNAVAILABLE ? "its pings go unanswered" : serverName);
            status = after;
        }
        watcher.stateChanged(before, after);
        if (before.state() == BackendStatus.State.UNAVAILABLE || next == BackendStatus.State.UNAVAILABLE) {
            events.onCatalogChanged(this, EnumSet.allOf(ListKind.class));
        }
    }

    private List<BackendClient> openClients() {
        List<BackendClient> open = new ArrayList<>();
        for (BackendClient slot : slots.clone()) {
            if (slot != null && slot.isOpen()) {
                open.add(slot);
            }
        }
        for (BackendClient own : scoped.values()) {
            if (own.isOpen()) {
                open.add(own);
            }
        }
        return open;
    }

    private void connectUntilUp() {
        Duration backoff = FIRST_RETRY;
        try {
            while (!closed && !status.heldBack()) {
                try {
                    BackendClient client = openSlot(0, gatewayCredentials.get());
                    discover(client, EnumSet.allOf(ListKind.class));
                    serverName = serverName(client.initializeResult());
                    BackendStatus before;
                    synchronized (control) {
                        before = status;
                        if (!before.heldBack()) {
                            status = new BackendStatus(BackendStatus.State.UP, serverName);
                        }
                    }
                    if (before.heldBack()) {
                        closeConnections();
                        return;
                    }
                    LOG.info("Backend '{}' is up: {}", id(), status.detail());
                    if (probing.compareAndSet(false, true)) {
                        Thread.ofVirtual().name("health-" + id()).start(this::probeUntilClosed);
                    }
                    return;
                } catch (IOException | GatewayException e) {
                    boolean wasUp = isUp() || !snapshot.lists().isEmpty();
                    synchronized (control) {
                        if (status.heldBack()) {
                            return;
                        }
                        status = new BackendStatus(BackendStatus.State.FAILED, e.getMessage());
                    }
                    LOG.warn("Backend '{}' is unavailable (retrying in {} s): {}", id(), backoff.toSeconds(), e.getMessage());
                    if (wasUp) {
                        events.onCatalogChanged(this, EnumSet.allOf(ListKind.class));
                    }
                }
                firstTry.countDown();
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : backoff.multipliedBy(2);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            reconnecting.set(false);
            firstTry.countDown();
        }
    }

    /**
     * A connection free for the caller right now that sends without blocking, or null when getting one would mean
     * waiting: for the slots (held while another caller opens a connection), for a free connection, or for a new one.
     */
    private BackendClient leaseAtOnce(Caller caller, String key) {
        if (isolates(caller)) {
            BackendClient own = scoped.get(new ScopeKey(scopeOf(caller), key));
            return own != null && own.isOpen() && own.sendsWithoutBlocking() && own.admit(caller) ? own : null;
        }
        if (!slotLock.tryLock()) {
            return null;
        }
        try {
            if (closed) {
                return null;
            }
            for (BackendClient candidate : slots) {
                if (candidate != null && !candidate.sendsWithoutBlocking()) {
                    return null;
                }
            }
            return admitToBest(caller, key, true);
        } finally {
            slotLock.unlock();
        }
    }

    /**
     * The connection that serves a call of {@code caller}: the best one it is admitted to; a new one when every
     * open one is busy or leased and a slot is free; otherwise it waits for a call to end, up to the request timeout.
     */
    private BackendClient lease(Caller caller, Optional<Credentials> credentials) {
        if (isolates(caller)) {
            return leaseScoped(caller, credentials);
        }
        long deadline = System.nanoTime() + config.requestTimeout().toNanos();
        String key = CredentialKey.of(credentials);
        slotLock.lock();
        try {
            while (true) {
                BackendClient admitted = admitToBest(caller, key, true);
                if (admitted != null) {
                    return admitted;
                }
                if (closed) {
                    throw new GatewayException(ErrorCode.BACKEND_UNAVAILABLE, "backend '" + id() + "' is shutting down");
                }
                int empty = emptySlot(key);
                if (empty >= 0) {
                    try {
                        BackendClient opened = openSlot(empty, credentials);
                        if (opened.admit(caller)) {
                            return opened;
                        }
                    } catch (IOException e) {
                        admitted = admitToBest(caller, key, false);
                        if (admitted != null) {
                            return admitted;
                        }
                        throw new GatewayException(ErrorCode.BACKEND_UNAVAILABLE, "backend '" + id() + "' is unavailable: " + e.getMessage(), e);
                    }
                    continue;
                }
                if (!anyOpen()) {
                    throw new GatewayException(ErrorCode.BACKEND_UNAVAILABLE, "backend '" + id() + "' is unavailable: " + status.detail());
                }
                admitted = awaitRelease(deadline, () -> admitToBest(caller, key, false), "backend '" + id()
                        + "' had no connection free for this session within " + config.requestTimeout().toMillis()
                        + " ms (raise maxProcesses to serve more sessions at once)");
                if (admitted != null) {
                    return admitted;
                }
            }
        } finally {
            slotLock.unlock();
        }
    }

    /**
     * Waits, under {@link #slotLock}, for a call to end: what {@code admit} finds before it waits, else null once one
     * ended (to look again). Past the deadline the caller is refused with {@code busy} ({@code -32013}).
     */
    private BackendClient awaitRelease(long deadline, Supplier<BackendClient> admit, String busy) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new GatewayException(ErrorCode.BACKEND_BUSY, busy);
        }
        waiters.incrementAndGet();
        try {
            BackendClient admitted = admit.get();
            if (admitted == null) {
                released.awaitNanos(left);
            }
            return admitted;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException(ErrorCode.BACKEND_UNAVAILABLE, "interrupted while waiting for backend '" + id() + "'");
        } finally {
            waiters.decrementAndGet();
        }
    }

    /**
     * The connection of the caller's scope, opened if it has none. Under {@code tenant} isolation, sessions of the
     * tenant whose clients can be asked things take turns on it (see {@link Caller}), each waiting up to the request
     * timeout.
     */
    private BackendClient leaseScoped(Caller caller, Optional<Credentials> credentials) {
        long deadline = System.nanoTime() + config.requestTimeout().toNanos();
        ScopeKey key = new ScopeKey(scopeOf(caller), CredentialKey.of(credentials));
        slotLock.lock();
        try {
            while (true) {
                BackendClient own = scopedConnection(key, caller, credentials);
                if (own.admit(caller)) {
                    return own;
                }
                BackendClient admitted = awaitRelease(deadline, () -> own.admit(caller) ? own : null, "backend '" + id()
                        + "' had its tenant's connection held by another session for " + config.requestTimeout().toMillis()
                        + " ms (isolation: session gives each session its own)");
                if (admitted != null) {
                    return admitted;
                }
            }
        } finally {
            slotLock.unlock();
        }
    }

    /**
     * The connection that serves {@code caller}'s scope, for what the gateway sends there on the caller's behalf
     * (a resource subscription): with {@code shared} isolation the first open one; otherwise the scope's own, opened
     * now if it has none (on a virtual thread when asked on an I/O thread).
     */
    public CompletableFuture<BackendLink> linkFor(Caller caller, Optional<Credentials> credentials) {
        if (!isolates(caller)) {
            List<BackendClient> open = openClients();
            return open.isEmpty() ? CompletableFuture.failedFuture(new GatewayException(ErrorCode.BACKEND_UNAVAILABLE,
                    "backend '" + id() + "' is unavailable")) : CompletableFuture.completedFuture(open.getFirst());
        }
        ScopeKey key = new ScopeKey(scopeOf(caller), CredentialKey.of(credentials));
        BackendClient own = scoped.get(key);
        if (own != null && own.isOpen()) {
            return CompletableFuture.completedFuture(own);
        }
        Supplier<BackendLink> opening = () -> {
            slotLock.lock();
            try {
                return scopedConnection(key, caller, credentials);
            } finally {
                slotLock.unlock();
            }
        };
        if (!IoThreads.onIoThread()) {
            try {
                return CompletableFuture.completedFuture(opening.get());
            } catch (GatewayException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        CompletableFuture<BackendLink> opened = new CompletableFuture<>();
        Thread.ofVirtual().name("backend-open-" + id()).start(() -> {
            try {
                opened.complete(opening.get());
            } catch (GatewayException e) {
                opened.completeExceptionally(e);
            }
        });
        return opened;
    }

    /**
     * The open connection of an isolated scope, opened now if it has none; under {@link #slotLock}. Past the
     * transport's limit (a stdio backend's {@code maxProcesses}) the pool's connection gives up its place if idle,
     * else the caller is refused at once: every connection belongs to a session or tenant that still uses it.
     */
    private BackendClient scopedConnection(ScopeKey key, Caller caller, Optional<Credentials> credentials) {
        BackendClient own = scoped.get(key);
        if (own != null && own.isOpen()) {
            return own;
        }
        if (closed) {
            throw new GatewayException(ErrorCode.BACKEND_UNAVAILABLE, "backend '" + id() + "' is shutting down");
        }
        if (!members.containsKey(key.scope())) {
            throw new GatewayException(ErrorCode.BACKEND_UNAVAILABLE, "the client session ended");
        }
        // The scope's connections that are gone, or idle with credentials it no longer gets (rotated), make way.
        scoped.forEach((other, client) -> {
            if (other.scope().equals(key.scope()) && (!client.isOpen() || client.idle()) && scoped.remove(other, client)) {
                client.close();
            }
        });
        makeRoom();
        try {
            BackendClient opened = BackendClient.open(id(), transport, config.startupTimeout(), config.requestTimeout(), this, credentials,
                    key.scope(), config.isolation() == Isolation.SESSION && !caller.sessionId().isEmpty() ? caller : null);
            scoped.put(key, opened);
            serverMessages.onOpened(this, opened);
            return opened;
        } catch (IOException e) {
            throw new GatewayException(ErrorCode.BACKEND_UNAVAILABLE, "backend '" + id() + "' is unavailable: " + e.getMessage(), e);
        }
    }

    /** Makes a place for one more isolated connection, or refuses with {@code -32016}; under {@link #slotLock}. */
    private void makeRoom() {
        int limit = transport.maxIsolatedConnections();
        int open = scoped.size();
        for (BackendClient slot : slots) {
            open += slot != null && slot.isOpen() ? 1 : 0;
        }
        if (open < limit) {
            return;
        }
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != null && slots[i].isOpen() && slots[i].idle()) {
                slots[i].close();
                slots[i] = null;
                return;
            }
        }
        throw new GatewayException(ErrorCode.BACKEND_SATURATED, "backend '" + id() + "' has all its " + limit
                + " connections (maxProcesses) serving other " + (config.isolation() == Isolation.SESSION ? "sessions" : "tenants")
                + "; try again when one ends");
    }

    /** Ends the connections of a scope whose last session left, unless a new session of it has joined since. */
    private void endScope(Object scope) {
        List<BackendClient> ending = new ArrayList<>();
        slotLock.lock();
        try {
            if (members.containsKey(scope)) {
                return;
            }
            scoped.forEach((key, client) -> {
                if (key.scope().equals(scope) && scoped.remove(key, client)) {
                    ending.add(client);
                }
            });
        } finally {
            slotLock.unlock();
        }
        ending.forEach(BackendClient::close);
    }

    /**
     * Admits the caller to the open connection that suits it best. With {@code spread}, a busy best is passed over
     * when a slot is free, so calls spread over processes before they queue on one.
     */
    private BackendClient admitToBest(Caller caller, String key, boolean spread) {
        while (true) {
            BackendClient best = null;
            int bestAffinity = Integer.MAX_VALUE;
            for (BackendClient candidate : slots) {
                if (candidate != null && candidate.isOpen() && candidate.credentialKey().equals(key)) {
                    int affinity = candidate.affinity(caller);
                    if (affinity >= 0 && affinity < bestAffinity) {
                        best = candidate;
                        bestAffinity = affinity;
                    }
                }
            }
            if (best == null || (spread && !caller.exclusive() && best.inFlight() > 0 && emptySlot(key) >= 0)) {
                return null;
            }
            if (best.admit(caller)) {
                return best;
            }
        }
    }

    /**
     * A slot a connection with credentials {@code key} can be opened in: an empty one, or else one whose connection
     * has other credentials and nothing in flight, which is closed to make room.
     */
    private int emptySlot(String key) {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] == null || !slots[i].isOpen()) {
                return i;
            }
        }
        for (int i = 0; i < slots.length; i++) {
            if (!slots[i].credentialKey().equals(key) && slots[i].idle()) {
                slots[i].close();
                return i;
            }
        }
        return -1;
    }

    private boolean anyOpen() {
        for (BackendClient slot : slots) {
            if (slot != null && slot.isOpen()) {
                return true;
            }
        }
        return false;
    }

    private BackendClient openSlot(int index, Optional<Credentials> credentials) throws IOException {
        slotLock.lock();
        try {
            BackendClient current = slots[index];
            if (current != null && current.isOpen() && current.credentialKey().equals(CredentialKey.of(credentials))) {
                return current;
            }
            BackendClient opened = BackendClient.open(id(), transport, config.startupTimeout(), config.requestTimeout(), this, credentials,
                    SHARED_SCOPE, null);
            slots[index] = opened;
            serverMessages.onOpened(this, opened);
            return opened;
        } finally {
            slotLock.unlock();
        }
    }

    /**
     * Lists {@code kinds} afresh. One discovery at a time: a {@code list_changed} that arrives while the first
     * discovery runs would otherwise start from the snapshot before it, and put back the lists it had just filled.
     */
    private void discover(BackendClient client, Set<ListKind> kinds) {
        discovering.lock();
        try {
            BackendSnapshot updated = snapshot;
            ObjectNode initializeResult = client.initializeResult();
            for (ListKind kind : kinds) {
                List<ObjectNode> items = new ArrayList<>();
                if (initializeResult.path("capabilities").has(kind.capability())) {
                    items = fetchAll(client, kind);
                }
                updated = updated.with(initializeResult, kind, items);
            }
            snapshot = updated;
        } finally {
            discovering.unlock();
        }
        events.onCatalogChanged(this, kinds);
    }

    private List<ObjectNode> fetchAll(BackendClient client, ListKind kind) {
        List<ObjectNode> items = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            ObjectNode params = JsonRpc.MAPPER.createObjectNode();
            if (cursor != null) {
                params.put("cursor", cursor);
            }
            ObjectNode response = join(client.request(kind.method(), params, config.requestTimeout(), Caller.GATEWAY, AnswerHook.NONE).response());
            if (response.has("error")) {
                LOG.warn("Backend '{}' refused {}: {}", id(), kind.method(), response.path("error").path("message").asText());
                return items;
            }
            JsonNode result = response.path("result");
            if (result.path(kind.field()) instanceof ArrayNode array) {
                array.forEach(item -> {
                    if (item instanceof ObjectNode object) {
                        items.add(object);
                    }
                });
            }
            cursor = result.path("nextCursor").textValue();
            if (cursor == null) {
                return items;
            }
        }
        LOG.warn("Backend '{}' paginates {} past {} pages; the rest is left out", id(), kind.method(), MAX_PAGES);
        return items;
    }

    private static ObjectNode join(CompletableFuture<ObjectNode> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof GatewayException gateway ? gateway
                    : new GatewayException(ErrorCode.BACKEND_UNAVAILABLE, e.getCause().getMessage(), e.getCause());
        }
    }

    private static String serverName(ObjectNode initializeResult) {
        JsonNode info = initializeResult.path("serverInfo");
        return (info.path("name").asText("?") + " " + info.path("version").asText("")).trim();
    }

    @Override
    public void onNotification(BackendClient client, ObjectNode notification) {
        String method = notification.path("method").asText();
        Set<ListKind> changed = EnumSet.noneOf(ListKind.class);
        for (ListKind kind : ListKind.values()) {
            if (kind.changedNotification().equals(method)) {
                changed.add(kind);
            }
        }
        if (changed.isEmpty()) {
            serverMessages.onNotification(this, client, notification);
            return;
        }
        Thread.ofVirtual().name("rediscover-" + id()).start(() -> {
            try {
                discover(client, changed);
                LOG.info("Backend '{}' changed its {}", id(), changed);
            } catch (GatewayException e) {
                LOG.warn("Backend '{}' announced a change but could not be listed: {}", id(), e.getMessage());
            }
        });
    }

    @Override
    public void onRequest(BackendClient client, ObjectNode request) {
        serverMessages.onRequest(this, client, request);
    }

    @Override
    public void onReleased(BackendClient client) {
        if (waiters.get() > 0) {
            slotLock.lock();
            try {
                released.signalAll();
            } finally {
                slotLock.unlock();
            }
        }
    }

    @Override
    public void onClosed(BackendClient client, Optional<Throwable> cause) {
        serverMessages.onClosed(client);
        onReleased(client);
        // A session's or tenant's connection is opened again on the scope's next call: the backend's status is the pool's.
        boolean isolated = client.scope() != SHARED_SCOPE;
        if (isolated) {
            scoped.remove(new ScopeKey(client.scope(), client.credentialKey()), client);
        }
        if (isolated || closed || cause.isEmpty() || status.heldBack()) {
            return;
        }
        LOG.warn("Backend '{}' connection lost: {}", id(), cause.get().getMessage());
        boolean anyOpen = false;
        slotLock.lock();
        try {
            for (int i = 0; i < slots.length; i++) {
                if (slots[i] == client) {
                    slots[i] = null;
                }
                anyOpen |= slots[i] != null && slots[i].isOpen();
            }
            for (BackendClient own : scoped.values()) {
                anyOpen |= own.isOpen();
            }
        } finally {
            slotLock.unlock();
        }
        if (!anyOpen && reconnecting.compareAndSet(false, true)) {
            synchronized (control) {
                if (status.heldBack()) {
                    reconnecting.set(false);
                    return;
                }
                status = new BackendStatus(BackendStatus.State.FAILED, cause.get().getMessage());
            }
            events.onCatalogChanged(this, EnumSet.allOf(ListKind.class));
            Thread.ofVirtual().name("reconnect-" + id()).start(this::connectUntilUp);
        }
    }

    void close() {
        closed = true;
        closeConnections();
        transport.close();
    }

    /** Ends every connection at once (children's process groups included), each on its own thread. */
    private void closeConnections() {
        List<Thread> closing = new ArrayList<>();
        List<BackendClient> all = new ArrayList<>(Arrays.asList(slots.clone()));
        all.addAll(scoped.values());
        for (BackendClient client : all) {
            if (client != null) {
                closing.add(Thread.ofVirtual().start(client::close));
            }
        }
        for (Thread thread : closing) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
