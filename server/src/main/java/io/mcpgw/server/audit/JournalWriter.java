package io.mcpgw.server.audit;

import io.mcpgw.spi.audit.AuditEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
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
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.xnio.XnioIoThread;

/**
 * Appends recorded events to the journal, one writer at a time: a caller only puts the event in a queue; a writer
 * takes whatever gathered meanwhile and writes it with one {@code write(2)}. Whoever waits for "everything recorded
 * so far is written" ({@link #whenWritten}) on an I/O thread has that write done by its own thread at the end of the
 * loop turn it asked in, for everything asked in that turn, and is released there without a hand-off; elsewhere the
 * writer thread writes and wakes it (on the I/O thread it asked from, if any). The writer thread alone retries a
 * write the disk refuses (answers wait meanwhile), rotates segments and keeps the disk budget, so an I/O thread
 * never waits for the disk. Another thread forces what was written to disk every {@code fsyncInterval}; with an
 * interval of zero the writer thread forces each write itself before it releases anyone, and writes every one.
 */
final class JournalWriter {

    private static final Logger LOG = LogManager.getLogger(JournalWriter.class);
    private static final int MAX_BATCH = 4096;
    /** How long events nobody waits for (a backend's health, a session's start) may wait for the writer's next round. */
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** Released once the first {@code target} events recorded are written. */
    private record Waiter(long target, Runnable release, Executor where) {}

    private static final class Turn {
        boolean writeQueued;
    }

    private final JournalSegments segments;
    private final long fsyncNanos;
    private final Consumer<List<JournalRecord>> written;
    private final Runnable afterWrite;
    private final ConcurrentLinkedQueue<AuditEvent> queue = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private final AtomicLong recorded = new AtomicLong();
    /** Held by whoever writes: it takes events from the queue, writes them and counts them, so the count is a prefix. */
    private final ReentrantLock writing = new ReentrantLock();
    /** Whether this I/O thread has a write queued for the end of its loop turn. */
    private final ThreadLocal<Turn> turns = ThreadLocal.withInitial(Turn::new);
    /** Guarded by {@link #writing}: where the batch is encoded, then copied to be written. */
    private final JournalLines lines = new JournalLines();
    /** Guarded by {@link #writing}: what is written. */
    private ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    /** Guarded by {@link #writing}: a batch an I/O thread could not write, which the writer thread retries before any other. */
    private List<AuditEvent> unwritten = List.of();
    private volatile long writtenCount;
    private volatile boolean parked;
    private volatile boolean stopping;
    private volatile boolean stopped;
    private Thread thread;

    /**
     * @param written told of each batch just written, in order, by the thread that wrote it (the writer thread or an
     *     I/O thread), before anyone else writes: it must not block
     * @param afterWrite run on the writer thread after the journal grew (the disk budget's check)
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

    /**
     * Runs {@code release} once every event recorded so far is written: at once if it is; on an I/O thread, at the end
     * of its loop turn, once its own write returned (unless the writer thread is writing then, or the disk refused it).
     */
    void whenWritten(Runnable release) {
        long target = recorded.get();
        if (writtenCount >= target) {
            release.run();
            return;
        }
        XnioIoThread io = XnioIoThread.currentThread();
        waiters.offer(new Waiter(target, release, io));
        if (writtenCount >= target) {
            releaseWaiters();
        } else if (io == null || !writeAtEndOfTurn(io)) {
            wakeWriter();
        }
    }

    private void wakeWriter() {
        if (parked) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * Queues, once per loop turn of {@code io} (the current thread), a write of what is recorded by the time the turn's
     * tasks run; false where the writer thread writes instead: when every write is forced (the I/O thread would wait
     * for the disk), once the journal stops, or when {@code io} takes no more tasks.
     */
    private boolean writeAtEndOfTurn(XnioIoThread io) {
        if (fsyncNanos == 0 || stopping) {
            return false;
        }
        Turn turn = turns.get();
        if (!turn.writeQueued) {
            try {
                io.execute(() -> {
                    turn.writeQueued = false;
                    writeThisTurn();
                });
            } catch (RejectedExecutionException stopped) {
                return false;
            }
            turn.writeQueued = true;
        }
        return true;
    }

    /**
     * On an I/O thread, after the turn's ready channels: writes what is queued with one write(2) (one per bound of
     * events) and releases whom it satisfied, its own thread's waiters here. Leaves the writing to the writer thread
     * when that one is writing (it takes these events next), when a batch waits for its retries, or when the disk
     * refuses this one.
     */
    private void writeThisTurn() {
        boolean wrote = false;
        boolean full = false;
        if (writing.tryLock()) {
            try {
                int batch;
                do {
                    batch = unwritten.isEmpty() && !stopping ? writeQueued(false) : -1;
                } while (batch == MAX_BATCH);
                wrote = batch >= 0;
                full = segments.full();
            } finally {
                writing.unlock();
            }
        }
        if (!wrote || full) {
            LockSupport.unpark(thread);
        }
        releaseWaiters();
    }

    private void run() {
        long checked = segments.end();
        while (true) {
            int wrote;
            writing.lock();
            try {
                wrote = writeQueued(true);
                rotateIfFull();
            } finally {
                writing.unlock();
            }
            if (wrote > 0) {
                releaseWaiters();
            }
            long end = segments.end();
            if (end != checked) {
                checked = end;
                try {
                    afterWrite.run();
                } catch (RuntimeException e) {
                    LOG.error("The audit journal could not keep its budget", e);
                }
            }
            if (wrote == 0) {
                if (stopping) {
                    break;
                }
                parked = true;
                if (queue.isEmpty() && !stopping) {
                    LockSupport.parkNanos(IDLE_NANOS);
                }
                parked = false;
            }
        }
        force();
    }

    /**
     * With {@link #writing} held: the batch left unwritten, else what is queued (up to a bound), written with one
     * write(2) and counted, then handed on. When the disk refuses it, {@code retrying} writes again until it takes it
     * (answers wait rather than go out unjournaled); else the batch is left for the writer thread.
     *
     * @return how many events were written, or -1 when the batch was left
     */
    private int writeQueued(boolean retrying) {
        List<AuditEvent> batch = unwritten;
        if (batch.isEmpty()) {
            AuditEvent event = queue.poll();
            if (event == null) {
                return 0;
            }
            batch = new ArrayList<>();
            do {
                batch.add(event);
            } while (batch.size() < MAX_BATCH && (event = queue.poll()) != null);
        }
        List<JournalRecord> records = new ArrayList<>(batch.size());
        if (!write(batch, records, retrying)) {
            unwritten = batch;
            return -1;
        }
        unwritten = List.of();
        if (fsyncNanos == 0) {
            force();
        }
        writtenCount += batch.size();
        try {
            written.accept(records);
        } catch (RuntimeException e) {
            LOG.error("The audit journal could not hand written events on", e);
        }
        return batch.size();
    }

    private void rotateIfFull() {
        try {
            segments.rotateIfFull();
        } catch (IOException e) {
            LOG.error("The audit journal in {} cannot start a new segment ({})", segments.directory(), e.toString());
        }
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

    /**
     * Writes the batch with one write(2), its records (each event with its line, where it lies) into {@code records};
     * while the disk refuses it, again every 100 ms when {@code retrying}, else false at once.
     */
    private boolean write(List<AuditEvent> batch, List<JournalRecord> records, boolean retrying) {
        lines.clear();
        int[] ends = new int[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            lines.append(batch.get(i));
            ends[i] = lines.size();
        }
        if (buffer.capacity() < lines.size()) {
            buffer = ByteBuffer.allocateDirect(Integer.highestOneBit(lines.size()) << 1);
        }
        ByteBuffer out = buffer;
        out.clear();
        lines.copyTo(out);
        boolean failed = false;
        while (true) {
            out.flip();
            try {
                long position = segments.write(out);
                byte[] written = lines.copy();
                for (int i = 0, from = 0; i < batch.size(); from = ends[i++]) {
                    records.add(new JournalRecord(batch.get(i), written, from, ends[i] - from - 1, position + from));
                }
                if (failed) {
                    LOG.info("The audit journal in {} is written again", segments.directory());
                }
                return true;
            } catch (IOException e) {
                if (!retrying) {
                    return false;
                }
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
     * Releases the waiters whose events are written: those of this thread and of threads that are no I/O thread here,
     * those of another I/O thread in one task on it (one wake-up for all); a waiter whose I/O thread is gone (the
     * listener stopped) is released here too.
     */
    private void releaseWaiters() {
        XnioIoThread here = XnioIoThread.currentThread();
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
                } else if (waiter.where() == null || waiter.where() == here) {
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
    private void writeLate() {
        writing.lock();
        try {
            if (writeQueued(true) > 0) {
                force();
            }
        } finally {
            writing.unlock();
        }
        releaseWaiters();
    }
}
