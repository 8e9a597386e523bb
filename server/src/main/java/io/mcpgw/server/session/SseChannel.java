package io.mcpgw.server.session;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/** One open {@code text/event-stream} response. Writes block (on the request's virtual thread) and never throw. */
public final class SseChannel {

    private final OutputStream out;
    private final ReentrantLock lock = new ReentrantLock();
    private final CountDownLatch closed = new CountDownLatch(1);

    public SseChannel(OutputStream out) {
        this.out = out;
    }

    /** Writes one event; false once the client has gone. */
    boolean event(String id, String data) {
        StringBuilder event = new StringBuilder();
        if (id != null) {
            event.append("id: ").append(id).append('\n');
        }
        event.append("event: message\n").append("data: ").append(data).append("\n\n");
        return write(event.toString());
    }

    /** The 2025-11-25 priming event: an id and empty data, so the client can resume from it; and the retry hint. */
    boolean prime(String id, long retryMillis) {
        return write("id: " + id + "\nretry: " + retryMillis + "\ndata: \n\n");
    }

    /** A comment, to find out whether the client is still there. */
    public boolean keepAlive() {
        return write(": keep-alive\n\n");
    }

    private boolean write(String text) {
        if (isClosed()) {
            return false;
        }
        lock.lock();
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return true;
        } catch (IOException e) {
            close();
            return false;
        } finally {
            lock.unlock();
        }
    }

    public boolean isClosed() {
        return closed.getCount() == 0;
    }

    /** Waits until closed, up to {@code millis}; true when closed. */
    public boolean awaitClosed(long millis) throws InterruptedException {
        return closed.await(millis, TimeUnit.MILLISECONDS);
    }

    public void close() {
        closed.countDown();
    }
}
