package io.mcpgw.server.ingress;

import java.util.concurrent.locks.ReentrantLock;

/**
 * One logical SSE stream of a session: a POST's response stream, or the session's GET stream. Every event is
 * numbered and logged before it is written, so a client that lost the connection resumes with
 * {@code Last-Event-ID} on a new one and misses nothing. What is emitted while no channel is attached (the GET
 * stream before the client opened it, or between two of its connections) is sent when the next channel attaches.
 */
final class SseStream {

    private final long number;
    private final EventLog log;
    private final ReentrantLock lock = new ReentrantLock();
    private SseChannel channel;
    private boolean finished;
    /** Events after this sequence were emitted while no channel was attached; -1 when none was. */
    private long unsentAfter = -1;

    SseStream(long number, EventLog log) {
        this.number = number;
        this.log = log;
    }

    long number() {
        return number;
    }

    /** Attaches the first channel and primes it. */
    void attach(SseChannel first, boolean prime, long retryMillis) {
        lock.lock();
        try {
            channel = first;
            if (prime) {
                first.prime(log.append(number, "").id(), retryMillis);
            }
            if (unsentAfter >= 0) {
                replay(first, unsentAfter);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Sends one JSON-RPC message as an event. */
    void emit(String json) {
        lock.lock();
        try {
            EventLog.Event event = log.append(number, json);
            if (channel != null) {
                channel.event(event.id(), json);
            } else if (unsentAfter < 0) {
                unsentAfter = event.sequence() - 1;
            }
        } finally {
            lock.unlock();
        }
    }

    /** The stream's last message was sent: its channel closes, and so will any that resumes it. */
    void finish() {
        lock.lock();
        try {
            finished = true;
            if (channel != null) {
                channel.close();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Continues the stream on a new channel: what came after {@code afterSequence} first, then what follows. */
    void resume(SseChannel resumed, long afterSequence) {
        lock.lock();
        try {
            replay(resumed, afterSequence);
            if (channel != null && channel != resumed) {
                channel.close();
            }
            channel = resumed;
            if (finished) {
                resumed.close();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The channel's connection ended: what is emitted from now on waits for the next one. */
    void detach(SseChannel closed) {
        lock.lock();
        try {
            if (channel == closed) {
                channel = null;
            }
        } finally {
            lock.unlock();
        }
    }

    private void replay(SseChannel to, long afterSequence) {
        for (EventLog.Event event : log.after(number, afterSequence)) {
            if (!event.data().isEmpty()) {
                to.event(event.id(), event.data());
            }
        }
        unsentAfter = -1;
    }
}
