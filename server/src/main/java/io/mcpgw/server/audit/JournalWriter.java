package io.mcpgw.server.audit;

import io.mcpgw.spi.audit.AuditEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.xnio.XnioIoThread;

/**
 * Appends recorded events to the journal from one thread: a caller only puts the event in a queue; the writer takes
 * whatever gathered meanwhile and writes it with one {@code write(2)}. Another thread forces what was written to disk
 * every {@code fsyncInterval}, so the writer never waits for the disk; with an interval of zero the writer forces
 * each write itself before it releases anyone. Whoever waits for "everything recorded so far is
 * written" ({@link #whenWritten}) is released once that write returned, on the I/O thread it asked from.
 */
final class JournalWriter {

    private static final Logger LOG = LogManager.getLogger(JournalWriter.class);
    private static final int MAX_BATCH = 4096;
    /** How long events nobody waits for (a backend's health, a session's start) may wait for the writer's next round. */
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** Released once the first {@code target} events recorded are written. */
    private record Waiter(long target, Runnable release, Executor where) {}

    private final JournalSegments segments;
    private final long fsyncNanos;
    private final Consumer<List<JournalRecord>> written;
    private final Runnable afterWrite;
    private final ConcurrentLinkedQueue<AuditEvent> queue = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private final AtomicLong recorded = new AtomicLong();
    private volatile long writtenCount;
    private volatile boolean parked;
    private volatile boolean stopping;
    private volatile boolean stopped;
    private Thread thread;

    /**
     * @param written told, on the writer thread, of each batch just written, in order
     * @param afterWrite run on the writer thread after each write (the disk budget's check)
     */
    JournalWriter(JournalSegments segments, Duration fsyncInterval, Consumer<List<JournalRecord>> written, Runnable afterWrite) {
        this.segments = segments;
        this.fsyncNanos = fsyncInterval.toNanos();
        this.written = written;
        this.afterWrite = afterWrite;
    }

    void start() {
        thread = Thread.ofPlatform().name("audit-journal").daemon().start(this::run);
        if (fsyncNanos > 0) {
            Thread.ofPlatform().name("audit-journal-fsync").daemon().start(this::forceEveryInterval);
        }
    }

    /**
     * Queues an event for the journal; never blocks (once the writer thread ended, it is written here). It does not
     * wake the writer: whoever waits for it does ({@link #whenWritten}), else the writer's next round takes it.
     */
    void append(AuditEvent event) {
        // counted before it is queued: whoever reads the count then waits for every event queued before it
        recorded.incrementAndGet();
        queue.offer(event);
        if (stopped) {
            writeLate();
        }
    }

    /** Runs {@code release} once every event recorded so far is written: at once if it is. */
    void whenWritten(Runnable release) {
        long target = recorded.get();
        if (writtenCount >= target) {
            release.run();
            return;
        }
        waiters.offer(new Waiter(target, release, XnioIoThread.currentThread()));
        if (writtenCount >= target) {
            releaseWaiters();
        } else if (parked) {
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        List<AuditEvent> batch = new ArrayList<>(MAX_BATCH);
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        while (true) {
            AuditEvent event;
            while (batch.size() < MAX_BATCH && (event = queue.poll()) != null) {
                batch.add(event);
            }
            if (batch.isEmpty()) {
                if (stopping) {
                    break;
                }
                parked = true;
                if (queue.isEmpty() && !stopping) {
                    LockSupport.parkNanos(IDLE_NANOS);
                }
                parked = false;
                continue;
            }
            List<JournalRecord> records = new ArrayList<>(batch.size());
            buffer = write(batch, buffer, records);
            if (fsyncNanos == 0) {
                force();
            }
            writtenCount += batch.size();
            batch.clear();
            releaseWaiters();
            try {
                written.accept(records);
                afterWrite.run();
            } catch (RuntimeException e) {
                LOG.error("The audit journal could not hand written events on or keep its budget", e);
            }
        }
        force();
    }

    /** Every {@code fsyncInterval}, forces what was written meanwhile, beside the writer, which goes on writing. */
    private void forceEveryInterval() {
        long forced = segments.end();
        while (!stopping) {
            LockSupport.parkNanos(fsyncNanos);
            long end = segments.end();
            if (end != forced && force()) {
                forced = end;
            }
        }
    }

    /** Writes the batch, retrying while the disk refuses it: answers wait rather than go out unjournaled. */
    private ByteBuffer write(List<AuditEvent> batch, ByteBuffer buffer, List<JournalRecord> records) {
        List<byte[]> lines = new ArrayList<>(batch.size());
        int bytes = 0;
        for (AuditEvent event : batch) {
            byte[] line = (event.toJson() + "\n").getBytes(StandardCharsets.UTF_8);
            lines.add(line);
            bytes += line.length;
        }
        ByteBuffer out = buffer.capacity() >= bytes ? buffer : ByteBuffer.allocateDirect(Integer.highestOneBit(bytes) << 1);
        out.clear();
        lines.forEach(out::put);
        boolean failed = false;
        while (true) {
            out.flip();
            try {
                long position = segments.write(out);
                for (int i = 0; i < batch.size(); i++) {
                    records.add(new JournalRecord(batch.get(i), position, position += lines.get(i).length));
                }
                if (failed) {
                    LOG.info("The audit journal in {} is written again", segments.directory());
                }
                return out;
            } catch (IOException e) {
                if (!failed) {
                    LOG.error("The audit journal in {} cannot be written ({}); answers wait until it can", segments.directory(), e.toString());
                    failed = true;
                }
                out.position(out.limit());
                LockSupport.parkNanos(RETRY_NANOS);
            }
        }
    }

    private boolean force() {
        try {
            segments.force();
            return true;
        } catch (IOException e) {
            LOG.error("The audit journal in {} cannot be forced to disk ({})", segments.directory(), e.toString());
            return false;
        }
    }

    /**
     * Releases the waiters whose events are written: those of one I/O thread in one task on it (one wake-up for all),
     * those of other threads here; a waiter whose I/O thread is gone (the listener stopped) is released here too.
     */
    private void releaseWaiters() {
        long done;
        List<Waiter> later;
        Map<Executor, List<Runnable>> byThread = null;
        do {
            done = writtenCount;
            later = null;
            Waiter waiter;
            int passes = waiters.size();
            while (passes-- > 0 && (waiter = waiters.poll()) != null) {
                if (waiter.target() > done) {
                    (later == null ? later = new ArrayList<>() : later).add(waiter);
                } else if (waiter.where() == null) {
                    waiter.release().run();
                } else {
                    (byThread == null ? byThread = new HashMap<>() : byThread).computeIfAbsent(waiter.where(), thread -> new ArrayList<>())
                            .add(waiter.release());
                }
            }
            if (later != null) {
                waiters.addAll(later);
            }
            // A waiter held here while another thread released those it saw would wait for the next write (perhaps
            // never, on an idle gateway): when the count moved meanwhile, look again.
        } while (later != null && writtenCount > done);
        if (byThread != null) {
            byThread.forEach((where, releases) -> {
                try {
                    where.execute(() -> releases.forEach(Runnable::run));
                } catch (RejectedExecutionException stopped) {
                    releases.forEach(Runnable::run);
                }
            });
        }
    }

    /**
     * Writes what is queued, forces it to disk and ends the writer thread; later events are written as they come.
     * False when the journal could not be written by {@code deadlineNanos}: what was queued then is lost.
     */
    boolean stop(long deadlineNanos) throws InterruptedException {
        stopping = true;
        LockSupport.unpark(thread);
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
        if (thread.isAlive()) {
            return false;
        }
        stopped = true;
        writeLate();
        return true;
    }

    /** Events recorded after the writer thread ended (a session closed late in the stop), written where they come. */
    private synchronized void writeLate() {
        List<AuditEvent> late = new ArrayList<>();
        AuditEvent event;
        while ((event = queue.poll()) != null) {
            late.add(event);
        }
        if (late.isEmpty()) {
            return;
        }
        List<JournalRecord> records = new ArrayList<>(late.size());
        write(late, ByteBuffer.allocate(0), records);
        force();
        writtenCount += late.size();
        releaseWaiters();
        written.accept(records);
    }

}
