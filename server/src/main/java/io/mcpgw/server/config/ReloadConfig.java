package io.mcpgw.server.config;

import java.time.Duration;

/**
 * The {@code reload:} section: when the configuration file is read again besides {@code POST /admin/reload} and
 * SIGHUP.
 *
 * @param watch whether a change to the file reloads it
 * @param interval how often the file is looked at when watched
 * @param drainTimeout how long a removed or redefined backend may finish its calls in flight before it is stopped
 */
public record ReloadConfig(Boolean watch, Duration interval, Duration drainTimeout) {

    public static final ReloadConfig DEFAULTS = new ReloadConfig(null, null, null);

    public ReloadConfig {
        watch = watch != null && watch;
        interval = interval == null ? Duration.ofSeconds(2) : interval;
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval: must be positive");
        }
        drainTimeout = drainTimeout == null ? Duration.ofSeconds(30) : drainTimeout;
        if (drainTimeout.isNegative()) {
            throw new IllegalArgumentException("drainTimeout: must not be negative");
        }
    }
}
