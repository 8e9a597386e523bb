package io.mcpgw.server.config;

import java.time.Duration;

/**
 * Halting limits for one session: past any of them the session is halted, and answers nothing but errors. Absent
 * ones do not apply.
 *
 * @param maxCalls invocations (tool calls, prompts, resource reads) in the session's life
 * @param maxDuration how long the session may run
 * @param maxConcurrent invocations in flight at once
 * @param maxDepth how deeply calls may nest: a call the client makes while a backend is asking it something
 *     (sampling, elicitation) is one deeper than the call that asked
 */
public record LimitsConfig(Long maxCalls, Duration maxDuration, Integer maxConcurrent, Integer maxDepth) {

    public static final LimitsConfig NONE = new LimitsConfig(null, null, null, null);

    public LimitsConfig {
        if (maxCalls != null && maxCalls < 1 || maxConcurrent != null && maxConcurrent < 1 || maxDepth != null && maxDepth < 1) {
            throw new IllegalArgumentException("maxCalls, maxConcurrent and maxDepth must be at least 1 (leave one out for no limit)");
        }
        if (maxDuration != null && (maxDuration.isNegative() || maxDuration.isZero())) {
            throw new IllegalArgumentException("maxDuration: must be positive");
        }
    }

    /** The tighter of each limit of this and {@code other}. */
    public LimitsConfig tightenedBy(LimitsConfig other) {
        return new LimitsConfig(min(maxCalls, other.maxCalls), maxDuration == null ? other.maxDuration
                : other.maxDuration == null || maxDuration.compareTo(other.maxDuration) <= 0 ? maxDuration : other.maxDuration,
                min(maxConcurrent, other.maxConcurrent), min(maxDepth, other.maxDepth));
    }

    private static <T extends Comparable<T>> T min(T a, T b) {
        return a == null ? b : b == null || a.compareTo(b) <= 0 ? a : b;
    }
}
