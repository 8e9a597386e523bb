package io.mcpgw.server.egress;

import dev.failsafe.Bulkhead;
import dev.failsafe.CircuitBreaker;
import io.mcpgw.server.config.BackendConfig;
import io.mcpgw.server.config.BreakerConfig;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;

/**
 * What stands between client calls and one backend (Failsafe): a circuit breaker that stops calls to a backend
 * that keeps failing, and a bulkhead that caps the calls in flight. Both refuse at once, with errors of their
 * own, without touching the backend. The gateway's own requests (discovery) pass outside them.
 */
final class BackendGuard {

    private final String backendId;
    private final CircuitBreaker<Object> breaker;
    private final Optional<Bulkhead<Object>> bulkhead;

    /** {@code onStateChange} hears each transition: (from, to), e.g. ("CLOSED", "OPEN"). */
    BackendGuard(BackendConfig config, BiConsumer<String, String> onStateChange) {
        this.backendId = config.id();
        BreakerConfig settings = config.circuitBreaker();
        this.breaker = CircuitBreaker.builder()
                .withFailureThreshold(settings.failures())
                .withDelay(settings.openFor())
                .withSuccessThreshold(settings.halfOpenProbes())
                .onOpen(event -> onStateChange.accept(event.getPreviousState().name(), "OPEN"))
                .onHalfOpen(event -> onStateChange.accept(event.getPreviousState().name(), "HALF_OPEN"))
                .onClose(event -> onStateChange.accept(event.getPreviousState().name(), "CLOSED"))
                .build();
        this.bulkhead = Optional.ofNullable(config.maxConcurrentCalls()).map(Bulkhead::of);
    }

    /** Lets a call through, or refuses it at once; whoever is let through must call {@link #ended} exactly once. */
    void admit() {
        if (!breaker.tryAcquirePermit()) {
            throw new GatewayException(ErrorCode.CIRCUIT_OPEN, "backend '" + backendId + "' is failing: its circuit is open for another "
                    + Math.max(1, breaker.getRemainingDelay().toSeconds()) + " s");
        }
        if (bulkhead.isPresent() && !bulkhead.get().tryAcquirePermit()) {
            breaker.recordSuccess();
            throw new GatewayException(ErrorCode.BACKEND_SATURATED, "backend '" + backendId + "' has its "
                    + bulkhead.get().getConfig().getMaxConcurrency() + " calls in flight (maxConcurrentCalls)");
        }
    }

    /** How an admitted call ended: a failure of the backend's counts against it, anything else for it. */
    void ended(Throwable error) {
        bulkhead.ifPresent(Bulkhead::releasePermit);
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof GatewayException failure && (failure.code() == ErrorCode.BACKEND_UNAVAILABLE
                || failure.code() == ErrorCode.BACKEND_TIMEOUT || failure.code() == ErrorCode.BACKEND_PROTOCOL_ERROR)) {
            breaker.recordFailure();
        } else {
            breaker.recordSuccess();
        }
    }

    /** {@code closed}, {@code open} or {@code half_open}. */
    String circuitState() {
        return breaker.getState().name().toLowerCase(Locale.ROOT);
    }

    /** Closes the circuit, as an operator does after fixing the backend. */
    void resetCircuit() {
        breaker.close();
    }
}
