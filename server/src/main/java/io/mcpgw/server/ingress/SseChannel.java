package io.mcpgw.server.ingress;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One open {@code text/event-stream} response. Events are queued, never written by the thread that sends them (a
 * backend's reader must not wait for a slow client); the response's own thread writes them in {@link #pump}. A
 * client that falls {@value #MAX_QUEUED} events behind loses the channel and resumes from the session's log.
 */
final class SseChannel {

    private static final int MAX_QUEUED = 10_000;
    private static final String END = "";

    private final OutputStream out;
    private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private volatile boolean closed;

    SseChannel(OutputStream out) {
        this.out = out;
    }

    /** Queues one event; false once the channel is closed. */
    boolean event(String id, String data) {
        StringBuilder event = new StringBuilder();
        if (id != null) {
            event.append("id: ").append(id).append('\n');
        }
        event.append("event: message\n").append("data: ").append(data).append("\n\n");
        return enqueue(event.toString());
    }

    /** A message event without an id, for the 2024-11-05 transport, which has no resumption. */
    boolean message(String data) {
        return event(null, data);
    }

    /** The 2024-11-05 transport's first event: where the client POSTs its messages. */
    boolean endpoint(String uri) {
        return enqueue("event: endpoint\ndata: " + uri + "\n\n");
    }

    /** The 2025-11-25 priming event: an id and empty data, so the client can resume from it; and the retry hint. */
    boolean prime(String id, long retryMillis) {
        return enqueue("id: " + id + "\nretry: " + retryMillis + "\ndata: \n\n");
    }

    private boolean enqueue(String text) {
        if (closed) {
            return false;
        }
        if (queued.incrementAndGet() > MAX_QUEUED) {
            close();
            return false;
        }
        queue.add(text);
        return true;
    }

    /**
     * Writes queued events until the channel is closed and drained, or the client is gone; a comment every
     * {@code keepAliveMillis} finds out whether it still is.
     */
    void pump(long keepAliveMillis) throws InterruptedException {
        while (true) {
            String next = queue.poll(keepAliveMillis, TimeUnit.MILLISECONDS);
            if (next == END) {
                return;
            }
            if (next == null) {
                if (closed || !write(": keep-alive\n\n")) {
                    return;
                }
                continue;
            }
            queued.decrementAndGet();
            if (!write(next)) {
                return;
            }
        }
    }

    private boolean write(String text) {
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return true;
        } catch (IOException e) {
            closed = true;
            return false;
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Takes no more events; what is queued is still written. */
    void close() {
        if (!closed) {
            closed = true;
            queue.add(END);
        }
    }
}
