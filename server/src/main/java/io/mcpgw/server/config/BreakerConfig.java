package io.mcpgw.server.config;

import java.time.Duration;

/**
 * A backend's circuit breaker: after {@code failures} calls in a row fail at the backend (unreachable, timed
 * out, broken answers; a tool's own error is an answer), calls fail fast for {@code openFor}, then
 * {@code halfOpenProbes} calls go through to test it: success closes the circuit, failure opens it again.
 */
public record BreakerConfig(Integer failures, Duration openFor, Integer halfOpenProbes) {

    public static final BreakerConfig DEFAULTS = new BreakerConfig(null, null, null);

    public BreakerConfig {
        failures = failures == null ? 5 : failures;
        openFor = openFor == null ? Duration.ofSeconds(30) : openFor;
        halfOpenProbes = halfOpenProbes == null ? 1 : halfOpenProbes;
        if (failures < 1 || halfOpenProbes < 1 || openFor.isNegative() || openFor.isZero()) {
            throw new IllegalArgumentException("failures and halfOpenProbes must be at least 1, openFor positive");
        }
    }
}
