package io.mcpgw.server.config;

import java.time.Duration;

/**
 * How audit events are kept and reach the {@code audit:} sinks: every event is written to a local journal before the
 * answer it belongs to goes out, and each sink reads the journal from an offset of its own.
 *
 * @param queueCapacity events per sink held in memory besides the journal, so a sink that keeps up reads nothing back
 *     from disk
 * @param batchSize events per write to a sink
 * @param maxBackoff the longest wait between retries of a failing sink
 * @param includeArguments whether invocation events carry the call's arguments (they may hold secrets or
 *     personal data: off unless asked for)
 * @param fsyncInterval how often written events are forced to disk (one fsync for all written meanwhile); 0 forces
 *     them before each answer goes out
 * @param segmentBytes size at which the journal starts a new segment file
 * @param maxBytes the journal's disk budget: past it the oldest segment is deleted even if a sink has not taken it
 *     (an {@code audit_overflow} event says which sink lost how many events)
 */
public record JournalConfig(Integer queueCapacity, Integer batchSize, Duration maxBackoff, Boolean includeArguments,
        Duration fsyncInterval, Long segmentBytes, Long maxBytes) {

    public static final JournalConfig DEFAULTS = new JournalConfig(null, null, null, null, null, null, null);

    public JournalConfig {
        queueCapacity = queueCapacity == null ? 10_000 : queueCapacity;
        batchSize = batchSize == null ? 500 : batchSize;
        maxBackoff = maxBackoff == null ? Duration.ofSeconds(30) : maxBackoff;
        includeArguments = includeArguments != null && includeArguments;
        fsyncInterval = fsyncInterval == null ? Duration.ofMillis(50) : fsyncInterval;
        segmentBytes = segmentBytes == null ? 16L * 1024 * 1024 : segmentBytes;
        maxBytes = maxBytes == null ? 1024L * 1024 * 1024 : maxBytes;
        if (queueCapacity < 1 || batchSize < 1) {
            throw new IllegalArgumentException((queueCapacity < 1 ? "queueCapacity" : "batchSize") + ": must be at least 1");
        }
        if (segmentBytes < 4096 || maxBytes < 2 * segmentBytes) {
            throw new IllegalArgumentException(segmentBytes < 4096 ? "segmentBytes: must be at least 4096"
                    : "maxBytes: must be at least twice segmentBytes");
        }
    }
}
