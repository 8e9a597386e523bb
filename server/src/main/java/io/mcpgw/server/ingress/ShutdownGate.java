package io.mcpgw.server.ingress;

import io.mcpgw.server.jsonrpc.ErrorCode;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets requests through until the listener stops, then answers each new one 503 with a JSON-RPC error (as every
 * refusal here is answered); counts the requests in flight so the stop can wait for them.
 */
final class ShutdownGate implements HttpHandler {

    private final HttpHandler next;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition drained = lock.newCondition();
    private long active;
    private boolean closed;

    ShutdownGate(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        lock.lock();
        try {
            if (closed) {
                exchange.setPersistent(false);
                HttpExchanges.fail(exchange, 503, ErrorCode.INTERNAL_ERROR, "The gateway is shutting down");
                return;
            }
            active++;
        } finally {
            lock.unlock();
        }
        exchange.addExchangeCompleteListener((done, nextListener) -> {
            ended();
            nextListener.proceed();
        });
        next.handleRequest(exchange);
    }

    private void ended() {
        lock.lock();
        try {
            if (--active == 0) {
                drained.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** From now on new requests get 503. */
    void close() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code millis} for the requests in flight to end; whether they did. */
    boolean awaitDrained(long millis) throws InterruptedException {
        long left = TimeUnit.MILLISECONDS.toNanos(millis);
        lock.lock();
        try {
            while (active > 0) {
                if (left <= 0) {
                    return false;
                }
                left = drained.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
