package io.mcpgw.server.governance;

import io.mcpgw.server.config.Durations;
import io.mcpgw.server.config.LimitsConfig;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What one session's halting limits are checked against: the invocations it made, the backends' requests waiting for
 * its client's answer, and whether a limit has halted it. A halted session stays halted: every later invocation is
 * refused with the reason. Outside sessions the counts are a {@link SessionlessKey}'s for one window, which also
 * counts the key's invocations in flight.
 */
public final class HaltingState {

    private final AtomicLong invocations = new AtomicLong();
    private final AtomicInteger asks = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final Duration window;
    private final long startedNanos = System.nanoTime();
    private volatile String haltedBecause;

    /** A session's: kept as long as the session. */
    HaltingState() {
        this(Duration.ZERO);
    }

    /** A sessionless key's, kept for {@code window}. */
    HaltingState(Duration window) {
        this.window = window;
    }

    /** How long a sessionless key's counts are kept. */
    Duration window() {
        return window;
    }

    /** How long ago the counts began. */
    Duration age() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** A sessionless key's invocation starts; the count in flight, this one among them. */
    int callStarted() {
        return running.incrementAndGet();
    }

    void callEnded() {
        running.decrementAndGet();
    }

    /**
     * Counts one more invocation and checks it against {@code limits}, the session being {@code age} old with
     * {@code inFlight} calls in flight (this one among them).
     *
     * @param halted told the reason when this invocation halts the session (once: later ones are refused with it)
     * @return how many invocations came before this one
     * @throws GatewayException {@link ErrorCode#HALTED} when the session is or now becomes halted
     */
    long admit(LimitsConfig limits, Duration age, int inFlight, Consumer<String> halted) {
        long before = invocations.getAndIncrement();
        String already = haltedBecause;
        if (already != null) {
            throw refusal(already);
        }
        String passed = null;
        if (limits.maxCalls() != null && before >= limits.maxCalls()) {
            passed = "maxCalls (" + limits.maxCalls() + " invocations) reached";
        } else if (limits.maxDuration() != null && age.compareTo(limits.maxDuration()) > 0) {
            passed = "maxDuration (" + Durations.format(limits.maxDuration()) + ") reached";
        } else if (limits.maxConcurrent() != null && inFlight > limits.maxConcurrent()) {
            passed = "maxConcurrent (" + limits.maxConcurrent() + " invocations in flight) passed";
        } else if (limits.maxDepth() != null && 1 + asks.get() > limits.maxDepth()) {
            passed = "maxDepth (" + limits.maxDepth() + " nested calls) passed";
        }
        if (passed == null) {
            return before;
        }
        haltedBecause = passed;
        halted.accept(passed);
        throw refusal(passed);
    }

    private static GatewayException refusal(String reason) {
        return new GatewayException(ErrorCode.HALTED, "session halted: " + reason);
    }

    /** The invocations counted so far, refused ones too. */
    public long invocations() {
        return invocations.get();
    }

    /** A backend asked the client something (sampling, elicitation, roots) on this session; until {@link #askEnded}. */
    public void askStarted() {
        asks.incrementAndGet();
    }

    public void askEnded() {
        asks.decrementAndGet();
    }

    /** Why the session was halted; empty while it is not. */
    public Optional<String> haltedBecause() {
        return Optional.ofNullable(haltedBecause);
    }
}
