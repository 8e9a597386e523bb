package io.mcpgw.server.egress;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * Times out backend requests by sweeping them every {@value #SWEEP_MILLIS} ms, instead of arming a timer per
 * request: a timer per request wakes a timer thread per call, a sweep costs nothing while requests answer in time.
 */
public final class RequestDeadlines {

    static final long SWEEP_MILLIS = 100;

    private record Pending(CompletableFuture<?> future, long deadlineNanos) {}

    private static final Set<Pending> PENDING = ConcurrentHashMap.newKeySet();

    static {
        Thread.ofPlatform().daemon().name("mcpgw-request-deadlines").start(RequestDeadlines::sweepForever);
    }

    private RequestDeadlines() {}

    /** Fails {@code future} with a {@link TimeoutException} if it is not done within {@code timeoutNanos}. */
    public static void watch(CompletableFuture<?> future, long timeoutNanos) {
        Pending pending = new Pending(future, System.nanoTime() + timeoutNanos);
        PENDING.add(pending);
        future.whenComplete((ignored, error) -> PENDING.remove(pending));
    }

    private static void sweepForever() {
        while (true) {
            try {
                Thread.sleep(SWEEP_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Pending pending : PENDING) {
                if (now - pending.deadlineNanos() >= 0) {
                    pending.future().completeExceptionally(new TimeoutException());
                }
            }
        }
    }
}
