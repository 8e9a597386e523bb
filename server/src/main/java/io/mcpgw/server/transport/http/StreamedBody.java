package io.mcpgw.server.transport.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A response body read on an I/O thread and consumed on another (virtual) thread, which blocks until more has come.
 * Closing it before its end abandons the rest, and with it the connection.
 */
final class StreamedBody extends InputStream {

    private final Runnable abandon;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private byte[] chunk;
    private int position;
    private boolean ended;
    private boolean closed;
    private IOException failure;

    StreamedBody(Runnable abandon) {
        this.abandon = abandon;
    }

    void offer(byte[] bytes) {
        update(() -> chunks.add(bytes));
    }

    void end() {
        update(() -> ended = true);
    }

    void fail(IOException error) {
        update(() -> failure = error);
    }

    private void update(Runnable change) {
        lock.lock();
        try {
            change.run();
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        lock.lock();
        try {
            while (chunk == null || position == chunk.length) {
                if (!chunks.isEmpty()) {
                    chunk = chunks.poll();
                    position = 0;
                } else if (failure != null) {
                    throw failure;
                } else if (ended || closed) {
                    return -1;
                } else {
                    arrived.await();
                }
            }
            int copied = Math.min(length, chunk.length - position);
            System.arraycopy(chunk, position, buffer, offset, copied);
            position += copied;
            return copied;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the response body");
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        boolean abandoned;
        lock.lock();
        try {
            abandoned = !closed && !ended && failure == null;
            closed = true;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        if (abandoned) {
            abandon.run();
        }
    }
}
