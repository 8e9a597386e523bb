package io.mcpgw.server.egress;

import io.mcpgw.server.config.BackendConfig;
import io.mcpgw.server.config.Isolation;
import io.mcpgw.server.io.IoThreads;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import io.mcpgw.spi.credentials.Credentials;
import io.mcpgw.spi.transport.BackendTransport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The initialized connections of one backend and who may use which: the pool's slots (calls go to the least busy;
 * a dead one is replaced when next needed; the lease rules of {@link Caller} hold), and, unless the backend's
 * {@code isolation} is {@code shared}, one connection per isolated scope (see {@link SessionScopes}), opened on the
 * scope's first call. Each connection is also keyed by the credentials it was opened with (see {@link CredentialKey}).
 * The era the backend spoke on the last connection opened is remembered and tried first on the next (see
 * {@link EraProbe}); each connection to a modern backend follows its list changes, as a legacy backend's connection
 * hears them on its own (a stdio child's tools are that child's).
 */
final class ConnectionPool {

    private static final long IDLE_POLL_MILLIS = 10;

    /** An isolated scope's connection is also keyed by the credentials it was opened with. */
    private record ScopeKey(BackendScope scope, String credentials) {}

    private final BackendConfig config;
    private final BackendTransport transport;
    private final SessionScopes scopes;
    private final BackendClient.Listener listener;
    private final Consumer<BackendClient> opened;
    private final BackendClient[] slots;
    /** A lock rather than synchronized: opening a slot blocks on I/O, which would pin a virtual thread's carrier. */
    private final ReentrantLock slotLock = new ReentrantLock();
    /** Signalled when a call ends, for callers waiting to be admitted; {@link #waiters} spares the signal otherwise. */
    private final Condition released = slotLock.newCondition();
    private final AtomicInteger waiters = new AtomicInteger();
    /** The connection of each isolated scope (a client session, or a tenant) and credentials; changed under {@link #slotLock}. */
    private final Map<ScopeKey, BackendClient> scoped = new ConcurrentHashMap<>();
    private final ToolDefinitions tools;
    /** The era the backend spoke on the connection opened last. */
    private volatile Optional<Era> known = Optional.empty();
    private volatile boolean closed;

    /**
     * {@code listener} hears every connection opened here; {@code opened} is told of each once it is initialized;
     * {@code tools} are the backend's, for the headers of modern requests.
     */
    ConnectionPool(BackendConfig config, BackendTransport transport, SessionScopes scopes, BackendClient.Listener listener,
            Consumer<BackendClient> opened, ToolDefinitions tools) {
        this.config = config;
        this.tools = tools;
        this.transport = transport;
        this.scopes = scopes;
        this.listener = listener;
        this.opened = opened;
        this.slots = new BackendClient[config.isolation() == Isolation.SHARED ? Math.max(1, transport.maxConnections()) : 1];
    }

    private String id() {
        return config.id();
    }

    boolean closed() {
        return closed;
    }

    /** The open connections, the pool's and the isolated scopes'. */
    List<BackendClient> open() {
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

    /**
     * A connection free for the caller right now that sends without blocking, or null when getting one would mean
     * waiting: for the slots (held while another caller opens a connection), for a free connection, or for a new one.
     */
    BackendClient leaseAtOnce(Caller caller, String key) {
        if (scopes.isolates(caller)) {
            BackendClient own = scoped.get(new ScopeKey(scopes.scopeOf(caller), key));
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
     * {@code detail} says why the backend is unavailable when no connection is open.
     */
    BackendClient lease(Caller caller, Optional<Credentials> credentials, Supplier<String> detail) {
        if (scopes.isolates(caller)) {
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
                    throw new GatewayException(ErrorCode.BACKEND_UNAVAILABLE, "backend '" + id() + "' is unavailable: " + detail.get());
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
        ScopeKey key = new ScopeKey(scopes.scopeOf(caller), CredentialKey.of(credentials));
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
    CompletableFuture<BackendClient> clientFor(Caller caller, Optional<Credentials> credentials) {
        if (!scopes.isolates(caller)) {
            List<BackendClient> open = open();
            return open.isEmpty() ? CompletableFuture.failedFuture(new GatewayException(ErrorCode.BACKEND_UNAVAILABLE,
                    "backend '" + id() + "' is unavailable")) : CompletableFuture.completedFuture(open.getFirst());
        }
        ScopeKey key = new ScopeKey(scopes.scopeOf(caller), CredentialKey.of(credentials));
        BackendClient own = scoped.get(key);
        if (own != null && own.isOpen()) {
            return CompletableFuture.completedFuture(own);
        }
        Supplier<BackendClient> opening = () -> {
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
        CompletableFuture<BackendClient> client = new CompletableFuture<>();
        Thread.ofVirtual().name("backend-open-" + id()).start(() -> {
            try {
                client.complete(opening.get());
            } catch (GatewayException e) {
                client.completeExceptionally(e);
            }
        });
        return client;
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
        if (!scopes.inUse(key.scope())) {
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
            BackendClient client = BackendClient.open(id(), transport, config.startupTimeout(), config.requestTimeout(), listener,
                    credentials, key.scope(), config.isolation() == Isolation.SESSION && !caller.sessionId().isEmpty() ? caller : null, plan());
            known = Optional.of(client.era());
            scoped.put(key, client);
            opened.accept(client);
            client.listenForChanges();
            return client;
        } catch (IOException e) {
            throw new GatewayException(ErrorCode.BACKEND_UNAVAILABLE, "backend '" + id() + "' is unavailable: " + e.getMessage(), e);
        }
    }

    /**
     * Makes a place for one more isolated connection, or refuses with {@code -32016}; under {@link #slotLock}. The
     * pool's connection gives way once what the gateway does there (a discovery, a ping) is done; under
     * {@code tenant} isolation so does another tenant's idle one, whose subscriptions and log level the gateway
     * puts back on the tenant's next connection. A session's connection is its own until it ends.
     */
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
            if (slots[i] != null && slots[i].isOpen() && becomesIdle(slots[i])) {
                slots[i].close();
                slots[i] = null;
                return;
            }
        }
        if (config.isolation() == Isolation.TENANT) {
            for (Map.Entry<ScopeKey, BackendClient> other : scoped.entrySet()) {
                if (other.getValue().idle() && scoped.remove(other.getKey(), other.getValue())) {
                    other.getValue().close();
                    return;
                }
            }
        }
        throw new GatewayException(ErrorCode.BACKEND_SATURATED, "backend '" + id() + "' has all its " + limit
                + " connections (maxProcesses) serving other " + (config.isolation() == Isolation.SESSION ? "sessions" : "tenants")
                + "; try again when one ends");
    }

    /** Whether the pool's connection is idle, or becomes so within the start-up timeout (the gateway's own calls end). */
    private boolean becomesIdle(BackendClient pooled) {
        long deadline = System.nanoTime() + config.startupTimeout().toNanos();
        while (!pooled.idle()) {
            if (System.nanoTime() > deadline || !pooled.isOpen()) {
                return false;
            }
            try {
                Thread.sleep(IDLE_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Ends the connections of a scope whose last session left, unless a new session of it has joined since. */
    void endScope(BackendScope scope) {
        List<BackendClient> ending = new ArrayList<>();
        slotLock.lock();
        try {
            if (scopes.inUse(scope)) {
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

    /** The pool's first connection, for the gateway's own discovery and health: the open one, or a new one. */
    BackendClient openFirst(Optional<Credentials> credentials) throws IOException {
        return openSlot(0, credentials);
    }

    private BackendClient openSlot(int index, Optional<Credentials> credentials) throws IOException {
        slotLock.lock();
        try {
            BackendClient current = slots[index];
            if (current != null && current.isOpen() && current.credentialKey().equals(CredentialKey.of(credentials))) {
                return current;
            }
            BackendClient client = BackendClient.open(id(), transport, config.startupTimeout(), config.requestTimeout(), listener,
                    credentials, BackendScope.SHARED, null, plan());
            known = Optional.of(client.era());
            slots[index] = client;
            opened.accept(client);
            client.listenForChanges();
            return client;
        } finally {
            slotLock.unlock();
        }
    }

    private EraProbe.Plan plan() {
        return new EraProbe.Plan(config.protocol(), known, tools, () -> closed);
    }

    /** A call ended: callers waiting for a connection look again. */
    void released() {
        if (waiters.get() > 0) {
            slotLock.lock();
            try {
                released.signalAll();
            } finally {
                slotLock.unlock();
            }
        }
    }

    /**
     * A connection closed. An isolated scope's is forgotten (it is opened again on the scope's next call); a pooled
     * one leaves its slot. True when it was the pool's and no connection at all is open any more.
     */
    boolean closedLastPooled(BackendClient client) {
        if (!client.scope().equals(BackendScope.SHARED)) {
            scoped.remove(new ScopeKey(client.scope(), client.credentialKey()), client);
            return false;
        }
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
        return !anyOpen;
    }

    /** Ends every connection at once (children's process groups included), each on its own thread. */
    void closeConnections() {
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

    /** Refuses new connections and ends the open ones. */
    void close() {
        closed = true;
        closeConnections();
    }
}
