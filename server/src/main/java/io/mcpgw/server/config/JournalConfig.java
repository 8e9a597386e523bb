package io.mcpgw.server.config;

import java.time.Duration;

/**
 * How audit events reach the {@code audit:} sinks.
 *
 * @param queueCapacity events held in memory per sink before they spill to the spool on disk
 * @param batchSize events per write to a sink
 * @param maxBackoff the longest wait between retries of a failing sink
 * @param includeArguments whether invocation events carry the call's arguments (they may hold secrets or
 *     personal data: off unless asked for)
 */
public record JournalConfig(Integer queueCapacity, Integer batchSize, Duration maxBackoff, Boolean includeArguments) {

    public static final JournalConfig DEFAULTS = new JournalConfig(null, null, null, null);

    public JournalConfig {
        queueCapacity = queueCapacity == null ? 10_000 : queueCapacity;
        batchSize = batchSize == null ? 500 : batchSize;
        maxBackoff = maxBackoff == null ? Duration.ofSeconds(30) : maxBackoff;
        includeArguments = includeArguments != null && includeArguments;
        if (queueCapacity < 1 || batchSize < 1) {
            throw new IllegalArgumentException((queueCapacity < 1 ? "queueCapacity" : "batchSize") + ": must be at least 1");
        }
    }
}
