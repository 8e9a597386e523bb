package io.mcpgw.server.audit;

import io.mcpgw.spi.audit.AuditEvent;
import io.mcpgw.spi.audit.AuditEventType;
import io.mcpgw.spi.audit.AuditSink;
import io.mcpgw.spi.audit.JournaledEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Delivers the journal to one sink, in order, from the sink's own offset, from one thread. Events just written also
 * come through a bounded queue in memory, each with the line the journal wrote, so a sink that keeps up reads nothing
 * back from disk and no event is encoded again; one that fell behind (its queue overflowed, it failed, the gateway
 * restarted) reads the segments from its offset until it is back at the queue's head. A failed batch is retried with
 * backoff, and the offset moves past a batch once the sink took it (after each batch, so a crash gives a sink again
 * at most the one batch it was taking, which it stores once by event id). A sink that caught up is given what gathered
 * every {@value #DELIVERY_MILLIS} ms, or as soon as a whole batch waits: a write to the journal wakes no one.
 */
final class SinkPipeline {

    private static final Logger LOG = LogManager.getLogger(SinkPipeline.class);
    private static final long DELIVERY_MILLIS = 50;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

    private final String name;
    private final AuditSink sink;
    private final JournalSegments journal;
    private final SinkOffset offset;
    /** The journal's writes, each as the records it wrote, in order; at most {@link #queueCapacity} events. */
    private final ConcurrentLinkedQueue<List<JournalRecord>> tail = new ConcurrentLinkedQueue<>();
    /** Events in {@link #tail}. */
    private final AtomicInteger queued = new AtomicInteger();
    private final ArrayDeque<JournalRecord> pending = new ArrayDeque<>();
    private final int queueCapacity;
    private final int batchSize;
    /** Whether the reader waits for the next delivery; a write that fills a batch wakes it. */
    private volatile boolean asleep;
    /** Whether the last batch from memory took all that had gathered, so the next one waits for the next delivery. */
    private boolean tookAll;
    private final Duration maxBackoff;
    private final Runnable committed;
    private volatile long position;
    private long committedPosition;
    private final AtomicLong lost = new AtomicLong();
    private volatile String failure;
    private volatile boolean stopping;
    private volatile long stopAt = Long.MAX_VALUE;
    private volatile long deadlineNanos = Long.MAX_VALUE;
    private Thread reader;

    /** @param committed told after each batch the sink took, once its offset moved */
    SinkPipeline(String name, AuditSink sink, JournalSegments journal, SinkOffset offset, int queueCapacity, int batchSize,
            Duration maxBackoff, Runnable committed) {
        this.name = name;
        this.sink = sink;
        this.journal = journal;
        this.offset = offset;
        this.queueCapacity = queueCapacity;
        this.batchSize = batchSize;
        this.maxBackoff = maxBackoff;
        this.committed = committed;
        long read = offset.read(journal.start());
        this.position = read > journal.end() ? journal.start() : Math.max(read, journal.start());
        this.committedPosition = read;
    }

    void start() {
        if (position < journal.end()) {
            LOG.info("Audit sink {} has {} events from before in the journal; delivering them first", name, waiting());
        }
        reader = Thread.ofPlatform().name("audit-" + name).daemon().start(this::run);
    }

    String name() {
        return name;
    }

    /** The position past the last event the sink took. */
    long position() {
        return position;
    }

    /** Why the sink's last write failed, while it fails. */
    Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** Events in memory waiting for the sink. */
    int queued() {
        return queued.get();
    }

    /** How many events in the journal the sink has not taken (counted on disk). */
    long waiting() {
        return journal.count(position, journal.end());
    }

    /**
     * Events just written to the journal, in order; dropped (to be read back from disk) when the sink is that far
     * behind. Wakes the reader only when they complete a batch.
     */
    void offer(List<JournalRecord> records) {
        int before = queued.get();
        if (before + records.size() > queueCapacity) {
            return;
        }
        queued.addAndGet(records.size());
        tail.offer(records);
        if (asleep && before < batchSize && before + records.size() >= batchSize) {
            LockSupport.unpark(reader);
        }
    }

    /**
     * The oldest segment was dropped for the disk budget: the sink goes on after it, first told in an
     * {@code audit_overflow} event how many events it lost.
     */
    void skipTo(long start, long lostEvents) {
        if (position < start) {
            position = start;
            lost.addAndGet(lostEvents);
        }
    }

    private void run() {
        Duration backoff = FIRST_BACKOFF;
        try {
            // a stop waits for the overflow event of a drop that came while the last batch was being taken, too
            while (!(stopping && ((position >= stopAt && lost.get() == 0) || System.nanoTime() - deadlineNanos > 0))) {
                try {
                    long dropped = lost.getAndSet(0);
                    List<JournaledEvent> overflow = dropped > 0 ? List.of(JournaledEvent.of(overflow(dropped))) : List.of();
                    if (!deliver(() -> overflow)) {
                        lost.addAndGet(dropped);
                        return;
                    }
                    List<JournalRecord> batch = next();
                    if (batch.isEmpty()) {
                        continue;
                    }
                    if (!deliver(batch)) {
                        return;
                    }
                    long past = batch.getLast().end();
                    if (position < past) {
                        position = past;
                    }
                    commit();
                    backoff = FIRST_BACKOFF;
                } catch (RuntimeException e) {
                    LOG.error("Audit sink {}: the journal cannot be read ({}); trying again in {} ms", name, e.toString(), backoff.toMillis());
                    Thread.sleep(backoff.toMillis());
                    backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            commit();
        }
    }

    /** Records where the sink stands, so a restart resumes there, and lets the segments it is past go. */
    private void commit() {
        long at = position;
        if (at != committedPosition) {
            offset.write(at);
            committedPosition = at;
            committed.run();
        }
    }

    /**
     * The next batch from the sink's position: from memory when the queue's head is there, else from disk; none when
     * the sink caught up, after waiting for the next delivery.
     */
    private List<JournalRecord> next() {
        if (tookAll) {
            tookAll = false;
            rest();
        }
        List<JournalRecord> written;
        while (pending.size() < queueCapacity && (written = tail.poll()) != null) {
            queued.addAndGet(-written.size());
            pending.addAll(written);
        }
        long from = Math.max(position, journal.start());
        while (!pending.isEmpty() && pending.peekFirst().end() <= from) {
            pending.pollFirst();
        }
        if (!pending.isEmpty() && pending.peekFirst().start() == from) {
            List<JournalRecord> batch = new ArrayList<>(Math.min(batchSize, pending.size()));
            long at = from;
            while (batch.size() < batchSize && !pending.isEmpty() && pending.peekFirst().start() == at) {
                JournalRecord record = pending.pollFirst();
                batch.add(record);
                at = record.end();
            }
            tookAll = batch.size() < batchSize && pending.isEmpty();
            return batch;
        }
        long end = journal.end();
        if (from < end) {
            position = Math.max(position, from);
            return journal.read(from, pending.isEmpty() ? end : pending.peekFirst().start(), batchSize);
        }
        commit();
        rest();
        return List.of();
    }

    /** Waits for the next delivery, unless a whole batch waits already or the pipeline stops. */
    private void rest() {
        asleep = true;
        if (queued.get() < batchSize && !stopping) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(DELIVERY_MILLIS));
        }
        asleep = false;
    }

    private AuditEvent overflow(long dropped) {
        return AuditEventBuilder.event(AuditEventType.AUDIT_OVERFLOW).outcome("dropped").meta("sink", name)
                .meta("lostEvents", Long.toString(dropped)).build();
    }

    /** Writes until the sink takes the batch, less what the disk budget dropped meanwhile; false only when stopping and past the deadline. */
    private boolean deliver(List<JournalRecord> batch) throws InterruptedException {
        return deliver(() -> {
            int skipped = 0;
            while (skipped < batch.size() && batch.get(skipped).start() < position) {
                skipped++;
            }
            return Collections.unmodifiableList(batch.subList(skipped, batch.size()));
        });
    }

    /** Writes what is {@code left} (asked again before each try) until the sink took it; false only when stopping and past the deadline. */
    private boolean deliver(Supplier<List<JournaledEvent>> left) throws InterruptedException {
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            List<JournaledEvent> events = left.get();
            if (events.isEmpty()) {
                return true;
            }
            try {
                sink.writeJournaled(events);
                if (failure != null) {
                    LOG.info("Audit sink {} accepts events again", name);
                    failure = null;
                }
                return true;
            } catch (Exception e) {
                if (failure == null) {
                    LOG.warn("Audit sink {} failed ({}); retrying with backoff, its events wait in the journal meanwhile", name, e.toString());
                }
                failure = e.toString();
            }
            if (System.nanoTime() - deadlineNanos > 0) {
                return false;
            }
            Thread.sleep(Math.min(backoff.toMillis(), Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()))));
            backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
        }
    }

    /** Delivers what the journal holds now, up to {@code deadline}, then stops the reader; the rest stays in the journal. */
    void stop(long deadline) throws InterruptedException {
        stopAt = journal.end();
        deadlineNanos = deadline;
        stopping = true;
        LockSupport.unpark(reader);
        reader.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) + 1000));
    }
}
