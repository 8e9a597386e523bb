package io.mcpgw.server.egress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.config.BackendProtocol;
import io.mcpgw.server.mcp.ProtocolVersions;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Finds the era a backend connection speaks. Unless the operator chose one, or the backend spoke one last, the
 * {@code initialize} handshake comes first (within half the start-up timeout): a dual-era backend is then spoken to
 * in the legacy era, where the gateway relays to it everything a client may do (a legacy client's sampling,
 * elicitation and roots requests, resource subscriptions), which a modern backend cannot be given yet. A refused or
 * unanswered handshake is followed, on the same process or a new connection to the origin, by the modern probe, as
 * the spec's backward-compatibility rules describe it: {@code server/discover} with 2026-07-28 in its {@code _meta},
 * answered with a {@code DiscoverResult} that lists 2026-07-28, means modern. A modern-only backend that refuses
 * {@code initialize} naming 2026-07-28 is spoken to in the modern era at once. The era the backend spoke last is tried
 * first, so each backend pays for the other era's try once; when that assumption fails (a backend restarted as
 * another version) the other era is tried again.
 */
final class EraProbe {

    /** How long the probe waits for an answer at most before the backend is taken for a silent legacy one. */
    static final long PROBE_MILLIS = 5000;
    /** The codes the spec reserves for modern errors that this revision defines. */
    private static final Set<Integer> MODERN_ERRORS = Set.of(-32020, -32021, -32022);
    private static final int UNSUPPORTED_VERSION = -32022;

    /**
     * How a connection finds its era: the operator's {@code protocol}, the era the backend spoke last, its tools for
     * the headers of modern requests, and whether the backend is being closed (then no other era is tried: it would
     * start a process or open a connection nobody will close).
     */
    record Plan(BackendProtocol protocol, Optional<Era> known, ToolDefinitions tools, BooleanSupplier closing) {

        /** The eras to try, in order. */
        List<Era> order() {
            return switch (protocol) {
                case MODERN -> List.of(Era.MODERN);
                case LEGACY -> List.of(Era.LEGACY);
                // legacy first: a dual-era backend is then spoken to in the era where the gateway relays everything to it
                case AUTO -> known.orElse(Era.LEGACY) == Era.MODERN ? List.of(Era.MODERN, Era.LEGACY) : List.of(Era.LEGACY, Era.MODERN);
            };
        }
    }

    /** Why one era did not take: the backend speaks the other, or the connection cannot be used at all. */
    private sealed interface Outcome {
        record Ready() implements Outcome {}

        record OtherEra(String why) implements Outcome {}

        record Failed(String why) implements Outcome {}

        /** No answer in time: legacy, if it was the probe; unavailable, if nothing is left to try. */
        record Silent(String method) implements Outcome {}
    }

    private EraProbe() {}

    /**
     * Settles {@code client}'s era within {@code timeout}, or throws why the backend cannot be used. {@code reopen}
     * opens the transport connection again when a refused probe closed it (a Streamable HTTP connection does).
     */
    static void settle(BackendClient client, Plan plan, Duration timeout, IoAction reopen) throws IOException {
        List<String> reasons = new ArrayList<>();
        List<Era> order = plan.order();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < order.size(); i++) {
            Era era = order.get(i);
            boolean last = i == order.size() - 1;
            if (i > 0) {
                if (plan.closing().getAsBoolean()) {
                    throw new IOException("the backend is being closed");
                }
                reopen.run();
            }
            Duration left = Duration.ofNanos(Math.max(deadline - System.nanoTime(), 1));
            Duration wait = wait(era, order.size() == 1, last, left);
            Outcome outcome = era == Era.MODERN ? modern(client, wait, last) : legacy(client, wait, last);
            switch (outcome) {
                case Outcome.Ready ready -> {
                    return;
                }
                case Outcome.Failed failed -> throw new IOException(failed.why());
                case Outcome.OtherEra other -> reasons.add(other.why());
                case Outcome.Silent silent -> {
                    if (last) {
                        // the backend had the whole start-up timeout to answer one or the other
                        throw new IOException("no answer to " + (i == 0 ? silent.method() : "server/discover or initialize") + " within "
                                + timeout.toMillis() + " ms");
                    }
                    reasons.add("no answer to " + silent.method() + " within " + wait.toMillis() + " ms");
                }
            }
        }
        throw new IOException(String.join("; ", reasons));
    }

    /**
     * How long one era's try may wait for its answer. The handshake may take a slow child's start, but leaves half the
     * time to the probe after it; the probe, unless it is all the operator allowed, waits {@value #PROBE_MILLIS} ms at
     * most (half the time when the handshake still follows): a legacy backend may leave {@code server/discover}
     * unanswered, and a new process started for the probe after the handshake's died is better tried again from the
     * start than waited for.
     */
    private static Duration wait(Era era, boolean only, boolean last, Duration left) {
        if (only) {
            return left;
        }
        if (era == Era.LEGACY) {
            return last ? left : Duration.ofMillis(left.toMillis() / 2);
        }
        return Duration.ofMillis(Math.min(PROBE_MILLIS, last ? left.toMillis() : left.toMillis() / 2));
    }

    /** An I/O step that may fail. */
    @FunctionalInterface
    interface IoAction {
        void run() throws IOException;
    }

    private static Outcome modern(BackendClient client, Duration wait, boolean last) {
        Optional<ObjectNode> answer;
        try {
            answer = client.discover(wait);
        } catch (IOException e) {
            return last ? new Outcome.Failed(e.getMessage()) : new Outcome.OtherEra("server/discover failed: " + e.getMessage());
        }
        if (answer.isEmpty()) {
            return new Outcome.Silent("server/discover");
        }
        JsonNode result = answer.get().path("result");
        if (result.isObject()) {
            List<String> supported = texts(result.path("supportedVersions"));
            if (supported.contains(BackendMeta.VERSION)) {
                client.modern((ObjectNode) result);
                return new Outcome.Ready();
            }
            // a result without versions is no DiscoverResult: a legacy server answering what it does not know
            return supported.isEmpty() || speaksLegacy(supported) ? new Outcome.OtherEra("server/discover lists only " + supported)
                    : new Outcome.Failed("the backend supports MCP " + supported + ", the gateway " + BackendMeta.VERSION + " and "
                            + ProtocolVersions.CHANNEL);
        }
        JsonNode error = answer.get().path("error");
        int code = error.path("code").asInt();
        String message = "server/discover was refused (" + code + "): " + error.path("message").asText();
        if (!MODERN_ERRORS.contains(code)) {
            return new Outcome.OtherEra(message);
        }
        List<String> supported = texts(error.path("data").path("supported"));
        if (code == UNSUPPORTED_VERSION && speaksLegacy(supported)) {
            return new Outcome.OtherEra("the backend supports MCP " + supported);
        }
        return new Outcome.Failed(code == UNSUPPORTED_VERSION ? "the backend supports MCP " + supported + ", the gateway "
                + BackendMeta.VERSION + " and " + ProtocolVersions.CHANNEL : message);
    }

    private static Outcome legacy(BackendClient client, Duration timeout, boolean last) {
        Optional<ObjectNode> answer;
        try {
            answer = client.initialize(timeout);
        } catch (IOException e) {
            return last ? new Outcome.Failed(e.getMessage()) : new Outcome.OtherEra("initialize failed: " + e.getMessage());
        }
        if (answer.isEmpty()) {
            return new Outcome.Silent("initialize");
        }
        if (answer.get().has("result")) {
            return new Outcome.Ready();
        }
        JsonNode error = answer.get().path("error");
        if (error.path("code").asInt() == UNSUPPORTED_VERSION && texts(error.path("data").path("supported")).contains(BackendMeta.VERSION)) {
            // a modern-only backend names its versions: it was slower to start than the probe waited
            return modern(client, timeout, true);
        }
        String why = "initialize was refused: " + answer.get().path("error").path("message").asText();
        return last ? new Outcome.Failed(why) : new Outcome.OtherEra(why);
    }

    private static boolean speaksLegacy(List<String> versions) {
        return versions.stream().anyMatch(ProtocolVersions.CHANNEL::contains);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> {
            if (item.isTextual()) {
                texts.add(item.textValue());
            }
        });
        return texts;
    }
}
