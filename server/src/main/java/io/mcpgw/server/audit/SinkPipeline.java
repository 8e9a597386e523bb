package io.mcpgw.server.audit;

import io.mcpgw.spi.audit.AuditEvent;
import io.mcpgw.spi.audit.AuditSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Delivers events to one sink, in order, never dropping one. Events wait in a bounded queue and go out in batches
 * from one writer thread. When the queue is full, or the sink fails and the queue fills meanwhile, new events go to
 * the spool on disk instead; the writer retries a failed batch with backoff, and replays the spool once the queue
 * (always older) is empty. At shutdown what could not be delivered in time stays in the spool for the next start.
 */
final class SinkPipeline {

    private static final Logger LOG = LogManager.getLogger(SinkPipeline.class);
    private static final long POLL_MILLIS = 50;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

    private final String name;
    private final AuditSink sink;
    private final ArrayBlockingQueue<AuditEvent> queue;
    private final Spool spool;
    private final int batchSize;
    private final Duration maxBackoff;
    private final ReentrantLock spoolLock = new ReentrantLock();
    private volatile boolean spooling;
    private volatile boolean stopping;
    private volatile long deadlineNanos = Long.MAX_VALUE;
    private Thread writer;

    SinkPipeline(String name, AuditSink sink, Spool spool, int queueCapacity, int batchSize, Duration maxBackoff) {
        this.name = name;
        this.sink = sink;
        this.spool = spool;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.batchSize = batchSize;
        this.maxBackoff = maxBackoff;
        this.spooling = spool.hasPending();
    }

    void start() {
        if (spooling) {
            LOG.info("Audit sink {} has spooled events from before; delivering them first", name);
        }
        writer = Thread.ofPlatform().name("audit-" + name).daemon().start(this::run);
    }

    String name() {
        return name;
    }

    /** Events in memory waiting for the sink. */
    int queued() {
        return queue.size();
    }

    /** Bytes of events spooled to disk waiting for the sink. */
    long spooledBytes() {
        return spool.pendingBytes();
    }

    void record(AuditEvent event) {
        if (!spooling && queue.offer(event)) {
            return;
        }
        spoolLock.lock();
        try {
            if (!spooling) {
                LOG.warn("Audit sink {} is {} events behind; spooling to disk until it catches up", name, queue.size());
                spooling = true;
            }
            spool.append(List.of(event));
        } finally {
            spoolLock.unlock();
        }
    }

    private void run() {
        try {
            while (true) {
                AuditEvent first = spooling ? queue.poll() : queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (first != null) {
                    List<AuditEvent> batch = new ArrayList<>(batchSize);
                    batch.add(first);
                    queue.drainTo(batch, batchSize - 1);
                    if (!deliver(batch)) {
                        keepForLater(batch);
                        return;
                    }
                } else if (spooling) {
                    if (!replaySpool()) {
                        keepForLater(List.of());
                        return;
                    }
                } else if (stopping) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            keepForLater(List.of());
        } finally {
            // nothing takes events from the queue any more: later ones wait in the spool for the next start
            spooling = true;
        }
    }

    /** One batch from the spool; false when the deadline passed before the sink took it. */
    private boolean replaySpool() throws InterruptedException {
        Spool.Batch batch;
        spoolLock.lock();
        try {
            if (!spool.hasPending()) {
                spooling = false;
                LOG.info("Audit sink {} caught up with its spool", name);
                return true;
            }
            batch = spool.read(batchSize);
        } finally {
            spoolLock.unlock();
        }
        if (!deliver(batch.events())) {
            return false;
        }
        spoolLock.lock();
        try {
            spool.commit(batch.offset());
        } finally {
            spoolLock.unlock();
        }
        return true;
    }

    /** Writes until the sink takes the batch; false only when stopping and past the deadline. */
    private boolean deliver(List<AuditEvent> batch) throws InterruptedException {
        Duration backoff = FIRST_BACKOFF;
        boolean failed = false;
        while (true) {
            try {
                sink.write(batch);
                if (failed) {
                    LOG.info("Audit sink {} accepts events again", name);
                }
                return true;
            } catch (Exception e) {
                if (!failed) {
                    LOG.warn("Audit sink {} failed ({}); retrying with backoff, events wait on disk meanwhile", name, e.toString());
                    failed = true;
                }
            }
            if (System.nanoTime() - deadlineNanos > 0) {
                return false;
            }
            Thread.sleep(Math.min(backoff.toMillis(), Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()))));
            backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
        }
    }

    /** The writer is done before everything went out: what is still in memory goes in front of the spool. */
    private void keepForLater(List<AuditEvent> undelivered) {
        spoolLock.lock();
        try {
            spooling = true;
            List<AuditEvent> older = new ArrayList<>(undelivered);
            queue.drainTo(older);
            spool.prepend(older);
            if (spool.hasPending()) {
                LOG.warn("Audit sink {} could not take every event before shutdown; the rest is kept on disk for the next start", name);
            }
        } finally {
            spoolLock.unlock();
        }
    }

    /** Delivers what waits, up to {@code deadlineNanos}, then stops the writer. */
    void stop(long deadline) throws InterruptedException {
        deadlineNanos = deadline;
        stopping = true;
        writer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) + 1000));
    }
}
