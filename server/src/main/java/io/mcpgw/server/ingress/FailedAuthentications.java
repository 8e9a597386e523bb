package io.mcpgw.server.ingress;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.audit.AuditEventBuilder;
import io.mcpgw.server.audit.AuditJournal;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.spi.audit.AuditEventType;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Failed authentications by source address, on the client and the admin listener together: each is audited as
 * {@code auth_failed}; an address that fails {@code server.authFailuresPerMinute} times within a minute is refused
 * without its credentials being looked at until that minute is over. The log gets a line when an address first
 * fails in a minute and when it is throttled, not one per attempt.
 */
@Singleton
public final class FailedAuthentications {

    private static final Logger LOG = LogManager.getLogger(FailedAuthentications.class);
    private static final long WINDOW_NANOS = Duration.ofMinutes(1).toNanos();
    private static final int MAX_ADDRESSES = 100_000;

    private final int limit;
    private final AuditJournal journal;
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
    FailedAuthentications(McpgwConfig config, AuditJournal journal) {
        this.limit = config.server().authFailuresPerMinute();
        this.journal = journal;
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
        if (window.failures() == 1) {
            LOG.warn("Failed authentication from {} on the {} listener: {}", address, listener, reason);
        } else if (window.failures() == limit) {
            LOG.warn("{} failed authentications from {} within a minute: its requests are refused (429) for the rest of it"
                    + " (server.authFailuresPerMinute)", limit, address);
        }
        if (journal.enabled()) {
            journal.record(AuditEventBuilder.event(AuditEventType.AUTH_FAILED).outcome("deny")
                    .errorCode(ErrorCode.UNAUTHENTICATED.code()).meta("source", address).meta("listener", listener)
                    .meta("reason", reason).build());
        }
    }
}
