package io.mcpgw.server.config;

import java.time.Duration;

/**
 * How a backend's connections are probed with MCP {@code ping}: every {@code interval}; an answer slower than
 * {@code slowAfter} makes the backend degraded (still served); {@code failures} rounds in a row without answers
 * within {@code timeout} make it unavailable (left out of every list until a ping is answered again).
 */
public record HealthConfig(Duration interval, Duration timeout, Duration slowAfter, Integer failures) {

    public static final HealthConfig DEFAULTS = new HealthConfig(null, null, null, null);

    public HealthConfig {
        interval = interval == null ? Duration.ofSeconds(15) : interval;
        timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
        slowAfter = slowAfter == null ? Duration.ofSeconds(1) : slowAfter;
        failures = failures == null ? 3 : failures;
        if (interval.isNegative() || interval.isZero() || timeout.isNegative() || timeout.isZero() || failures < 1) {
            throw new IllegalArgumentException("interval and timeout must be positive, failures at least 1");
        }
    }
}
