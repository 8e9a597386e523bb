package io.mcpgw.server.governance;

import java.util.function.LongSupplier;

/**
 * A token bucket: {@code capacity} tokens, refilled smoothly at {@code perMinute} a minute. Failsafe's rate
 * limiters are either evenly spaced (no burst at all) or fixed windows (a calendar minute); a quota needs neither.
 */
final class TokenBucket {

    private static final long NANOS_PER_MINUTE = 60_000_000_000L;

    private final double capacity;
    private final double nanosPerToken;
    private final LongSupplier nanoTime;
    private double tokens;
    private long refilledAt;

    TokenBucket(int perMinute, int capacity) {
        this(perMinute, capacity, System::nanoTime);
    }

    /** A bucket that reads the time from {@code nanoTime}, as {@link System#nanoTime} counts it. */
    TokenBucket(int perMinute, int capacity, LongSupplier nanoTime) {
        this.capacity = capacity;
        this.nanosPerToken = (double) NANOS_PER_MINUTE / perMinute;
        this.nanoTime = nanoTime;
        this.tokens = capacity;
        this.refilledAt = nanoTime.getAsLong();
    }

    /** Takes a token: 0 when one was there, else the nanoseconds until one will be. */
    synchronized long tryTake() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(capacity, tokens + (now - refilledAt) / nanosPerToken);
        refilledAt = now;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - tokens) * nanosPerToken);
    }
}
