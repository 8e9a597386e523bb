package io.mcpgw.server.ingress;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.monitor.GatewayMonitor;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Failed authentications by source address, on the client and the admin listener together: each is audited as
 * {@code auth_failed}; an address that fails {@code server.authFailuresPerMinute} times within a minute is refused
 * without its credentials being looked at until that minute is over. The log gets a line when an address first
 * fails in a minute and when it is throttled, not one per attempt.
 */
@Singleton
public final class FailedAuthentications {

    private static final long WINDOW_NANOS = Duration.ofMinutes(1).toNanos();
    private static final int MAX_ADDRESSES = 100_000;

    private final int limit;
    private final GatewayMonitor monitor;
    private final Cache<String, Window> windows = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofNanos(2 * WINDOW_NANOS))
            .maximumSize(MAX_ADDRESSES)
            .build();

    /** One address's minute: when it began, and how many failed in it. */
    private record Window(long startNanos, int failures) {
        boolean over(long now) {
            return now - startNanos >= WINDOW_NANOS;
        }
    }

    @Inject
    FailedAuthentications(McpgwConfig config, GatewayMonitor monitor) {
        this.limit = config.server().authFailuresPerMinute();
        this.monitor = monitor;
    }

    /**
     * How many seconds (at least one) {@code address} must wait before its credentials are looked at again, as
     * {@code Retry-After} says it; empty when they may be now.
     */
    public OptionalLong throttled(String address) {
        long now = System.nanoTime();
        Window window = windows.getIfPresent(address);
        if (window == null || window.over(now) || window.failures() < limit) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(1, TimeUnit.NANOSECONDS.toSeconds(window.startNanos() + WINDOW_NANOS - now + 999_999_999)));
    }

    /** Records that {@code address} presented credentials {@code listener} refused, for {@code reason}. */
    public void failed(String address, String listener, String reason) {
        long now = System.nanoTime();
        Window window = windows.asMap().compute(address, (key, current) -> current == null || current.over(now)
                ? new Window(now, 1) : new Window(current.startNanos(), current.failures() + 1));
        monitor.authenticationFailed(address, listener, reason, window.failures(), limit);
    }
}
