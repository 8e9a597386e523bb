package io.mcpgw.server.egress;

import io.mcpgw.server.config.HealthConfig;
import io.mcpgw.server.jsonrpc.JsonRpc;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Pings every open connection of one backend with MCP {@code ping} (which a modern backend's connection sends as
 * {@code server/discover}, see {@link BackendClient}) at an interval and judges each round: all
 * answered quickly (healthy), answered slowly (degraded), or not answered; after {@code failures} unanswered rounds
 * in a row the backend is unavailable, and the first answered round brings it back.
 */
final class HealthProbe {

    /** What a round found. */
    enum Verdict {
        HEALTHY,
        SLOW,
        UNANSWERED
    }

    private final HealthConfig config;
    private final Supplier<List<BackendClient>> connections;
    private int unansweredRounds;

    HealthProbe(HealthConfig config, Supplier<List<BackendClient>> connections) {
        this.config = config;
        this.connections = connections;
    }

    Duration interval() {
        return config.interval();
    }

    /** Pings each connection once; empty when none is open (there is nothing to judge). */
    Optional<Verdict> round() throws InterruptedException {
        List<BackendClient> open = connections.get();
        if (open.isEmpty()) {
            return Optional.empty();
        }
        boolean slow = false;
        boolean unanswered = false;
        for (BackendClient connection : open) {
            long started = System.nanoTime();
            try {
                // any answer, an error too (a server without ping), shows the backend is alive
                connection.request("ping", JsonRpc.MAPPER.createObjectNode(), config.timeout(), Caller.GATEWAY, AnswerHook.NONE)
                        .response().get(config.timeout().toMillis() + 100, TimeUnit.MILLISECONDS);
                slow |= System.nanoTime() - started > config.slowAfter().toNanos();
            } catch (ExecutionException | TimeoutException e) {
                unanswered = true;
            }
        }
        unansweredRounds = unanswered ? unansweredRounds + 1 : 0;
        return Optional.of(unanswered ? Verdict.UNANSWERED : slow ? Verdict.SLOW : Verdict.HEALTHY);
    }

    /** Whether enough rounds in a row went unanswered to call the backend unavailable. */
    boolean unavailable() {
        return unansweredRounds >= config.failures();
    }
}
