package io.mcpgw.server.egress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.config.BackendConfig;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import io.mcpgw.spi.credentials.Credentials;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The state of one backend and what moves it: connecting (retried with backoff while the gateway serves without
 * it), the health probe's verdicts, the loss of every connection, and the operator's drain and enable. The
 * operator's states ({@code draining}, {@code disabled}) win: a connection coming up cannot undo a disable.
 */
final class BackendSupervisor {

    /** Told of the backend's state changes an operator cares about: its circuit, its health, being held back. */
    interface Watcher {
        void circuitChanged(String from, String to);

        void stateChanged(BackendStatus from, BackendStatus to);
    }

    private static final Logger LOG = LogManager.getLogger(BackendSupervisor.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration MAX_RETRY = Duration.ofSeconds(30);
    private static final long DRAIN_POLL_MILLIS = 10;

    private final BackendConfig config;
    private final ConnectionPool pool;
    private final Discovery discovery;
    private final HealthProbe health;
    private final Supplier<Optional<Credentials>> gatewayCredentials;
    private final Watcher watcher;
    /** Told that every list may have changed: the backend went away, came back, or is held back. */
    private final Runnable everythingChanged;
    private final CountDownLatch firstTry = new CountDownLatch(1);
    private final AtomicBoolean reconnecting = new AtomicBoolean();
    private final AtomicBoolean probing = new AtomicBoolean();
    /** Guards moves into and out of the operator's states. */
    private final Object control = new Object();
    private final AtomicInteger callsInFlight = new AtomicInteger();
    private volatile BackendStatus status = BackendStatus.STARTING;
    private volatile String serverName = "";
    private volatile boolean closed;

    BackendSupervisor(BackendConfig config, ConnectionPool pool, Discovery discovery, Supplier<Optional<Credentials>> gatewayCredentials,
            Watcher watcher, Runnable everythingChanged) {
        this.config = config;
        this.pool = pool;
        this.discovery = discovery;
        this.health = new HealthProbe(config.health(), pool::open);
        this.gatewayCredentials = gatewayCredentials;
        this.watcher = watcher;
        this.everythingChanged = everythingChanged;
    }

    private String id() {
        return config.id();
    }

    BackendStatus status() {
        return status;
    }

    /** Whether it is served: up, or degraded but still answering. */
    boolean isUp() {
        return status.state() == BackendStatus.State.UP || status.state() == BackendStatus.State.DEGRADED;
    }

    boolean heldBack() {
        return status.heldBack();
    }

    boolean tried() {
        return firstTry.getCount() == 0;
    }

    /** Client calls admitted and not yet ended. */
    int callsInFlight() {
        return callsInFlight.get();
    }

    /** Counts a client call in, unless an operator holds the backend back; the call must {@link #callEnded} then. */
    void admitCall() {
        // Counted before the state is read, so a drain that saw no call in flight cannot miss this one.
        callsInFlight.incrementAndGet();
        BackendStatus now = status;
        if (now.heldBack()) {
            callsInFlight.decrementAndGet();
            throw new GatewayException(ErrorCode.BACKEND_UNAVAILABLE, "backend '" + id() + "' is "
                    + (now.state() == BackendStatus.State.DRAINING ? "draining" : "disabled") + " by an operator");
        }
    }

    void callEnded() {
        callsInFlight.decrementAndGet();
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
    int drain(Duration timeout) throws InterruptedException {
        BackendStatus before;
        synchronized (control) {
            before = status;
            if (before.heldBack()) {
                return 0;
            }
            status = BackendStatus.DRAINING;
        }
        watcher.stateChanged(before, BackendStatus.DRAINING);
        everythingChanged.run();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (callsInFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(DRAIN_POLL_MILLIS);
        }
        int cutShort = callsInFlight.get();
        pool.closeConnections();
        status = BackendStatus.DISABLED;
        watcher.stateChanged(BackendStatus.DRAINING, BackendStatus.DISABLED);
        return cutShort;
    }

    /** Starts a disabled backend again; false when it is not disabled (a draining one must finish first). */
    boolean enable() {
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

    /** The pool lost its last connection to {@code cause}: the backend has failed, and is connected again with backoff. */
    void lostEveryConnection(Throwable cause) {
        if (!reconnecting.compareAndSet(false, true)) {
            return;
        }
        synchronized (control) {
            if (status.heldBack()) {
                reconnecting.set(false);
                return;
            }
            status = new BackendStatus(BackendStatus.State.FAILED, cause.getMessage());
        }
        everythingChanged.run();
        Thread.ofVirtual().name("reconnect-" + id()).start(this::connectUntilUp);
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
            everythingChanged.run();
        }
    }

    private void connectUntilUp() {
        Duration backoff = FIRST_RETRY;
        try {
            while (!closed && !status.heldBack()) {
                try {
                    BackendClient client = pool.openFirst(gatewayCredentials.get());
                    discovery.discover(client, EnumSet.allOf(ListKind.class));
                    serverName = serverName(client);
                    BackendStatus before;
                    synchronized (control) {
                        before = status;
                        if (!before.heldBack()) {
                            status = new BackendStatus(BackendStatus.State.UP, serverName);
                        }
                    }
                    if (before.heldBack()) {
                        pool.closeConnections();
                        return;
                    }
                    LOG.info("Backend '{}' is up: {}", id(), status.detail());
                    if (probing.compareAndSet(false, true)) {
                        Thread.ofVirtual().name("health-" + id()).start(this::probeUntilClosed);
                    }
                    return;
                } catch (IOException | GatewayException e) {
                    boolean wasUp = isUp() || !discovery.snapshot().lists().isEmpty();
                    synchronized (control) {
                        if (status.heldBack()) {
                            return;
                        }
                        status = new BackendStatus(BackendStatus.State.FAILED, e.getMessage());
                    }
                    LOG.warn("Backend '{}' is unavailable (retrying in {} s): {}", id(), backoff.toSeconds(), e.getMessage());
                    if (wasUp) {
                        everythingChanged.run();
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

    /** What the status says of a backend that is up: its name and version, and the revision when it speaks the modern era. */
    private static String serverName(BackendClient client) {
        JsonNode info = client.initializeResult().path("serverInfo");
        String name = (info.path("name").asText("?") + " " + info.path("version").asText("")).trim();
        return client.era() == Era.MODERN ? name + " (MCP " + BackendMeta.VERSION + ")" : name;
    }

    /** Stops connecting and probing. */
    void close() {
        closed = true;
    }
}
