package io.mcpgw.server.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.egress.BackendClient;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.server.session.ClientCall;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One modern client's call (MCP 2026-07-28) at a legacy backend, held open across the client's requests while the
 * backend asks it things. Each of the client's requests for it (the first, then each retry) is a round, answered
 * with the backend's requests still open ({@code input_required}) or with the call's result; between rounds the
 * backend's requests stay pending and the call in flight, for at most the configured wait.
 */
final class HeldCall {

    /**
     * How long the first request of the backend's waits for others before the client is asked: a backend that asks
     * several things at once has them in one round rather than one round trip (often a person's) each.
     */
    private static final long GATHER_MILLIS = 20;

    /** A backend's request, open until the client answers it in a retry. */
    private record Ask(BackendClient backendClient, JsonNode backendRequestId, String method, ObjectNode modern) {}

    /** One of the client's requests for the call, waiting for its answer. */
    private record Round(ClientCall call, CompletableFuture<ObjectNode> answer) {}

    private final String id;
    private final ClientCall origin;
    private final String method;
    private final Supplier<String> digester;
    private String digest;
    private final Duration wait;
    private final Function<HeldCall, String> sealer;
    private final Consumer<HeldCall> ended;
    private final Map<String, Ask> open = new LinkedHashMap<>();
    private String backend;
    private Round current;
    private ObjectNode result;
    private boolean gathering;
    private boolean over;
    private long generation;
    private int asked;

    HeldCall(String id, ClientCall origin, String method, Supplier<String> digester, Duration wait, Function<HeldCall, String> sealer,
            Consumer<HeldCall> ended) {
        this.id = id;
        this.origin = origin;
        this.method = method;
        this.digester = digester;
        this.wait = wait;
        this.sealer = sealer;
        this.ended = ended;
    }

    String id() {
        return id;
    }

    ClientCall origin() {
        return origin;
    }

    String method() {
        return method;
    }

    /** The digest of the original params, made when a state first needs it: most calls are never held. */
    synchronized String digest() {
        if (digest == null) {
            digest = digester.get();
        }
        return digest;
    }

    synchronized String backend() {
        return backend;
    }

    /** Whether a backend asked anything yet: only then does the call count as held. */
    synchronized boolean asked() {
        return asked > 0;
    }

    /** A client's request for the call begins a round; its answer is the call's next interim result or its result. */
    synchronized CompletableFuture<ObjectNode> begin(ClientCall call) {
        current = new Round(call, new CompletableFuture<>());
        generation++;
        CompletableFuture<ObjectNode> answer = current.answer();
        if (result != null) {
            finish();
        } else if (!open.isEmpty()) {
            gather();
        }
        return answer;
    }

    /** The backend asked the client something: it goes in this round's answer, or the next one's. */
    synchronized void ask(String backendId, BackendClient backendClient, JsonNode backendRequestId, String askedMethod, ObjectNode modern) {
        backend = backendId;
        open.put("input-" + ++asked, new Ask(backendClient, backendRequestId, askedMethod, modern));
        if (current != null) {
            gather();
        }
    }

    /**
     * A retry: each input response the client gave for one of the open requests goes to the backend under the
     * backend's own id (what it does not answer stays open and is asked again), and the retry begins a round.
     */
    synchronized CompletableFuture<ObjectNode> resume(ClientCall retry, JsonNode inputResponses) {
        if (over) {
            throw ended();
        }
        if (current != null) {
            throw new GatewayException(ErrorCode.INVALID_PARAMS, "requestState: another request is continuing this call already");
        }
        open.entrySet().removeIf(entry -> {
            JsonNode response = inputResponses.get(entry.getKey());
            if (!(response instanceof ObjectNode given)) {
                return false;
            }
            ObjectNode legacy = given.deepCopy();
            legacy.remove("resultType");
            entry.getValue().backendClient().send(JsonRpc.result(entry.getValue().backendRequestId(), legacy));
            return true;
        });
        return begin(retry);
    }

    /** The backend withdrew one of its requests ({@code notifications/cancelled}): the client is not asked it again. */
    synchronized void withdrawn(BackendClient backendClient, JsonNode backendRequestId) {
        open.values().removeIf(ask -> ask.backendClient() == backendClient && ask.backendRequestId().equals(backendRequestId));
    }

    /** A backend connection closed: its requests can no longer be answered (the call's answer says what became of it). */
    synchronized void closed(BackendClient backendClient) {
        open.values().removeIf(ask -> ask.backendClient() == backendClient);
    }

    /** The call's result (or error): to the round in progress, else kept for the client's retry until the wait ends. */
    synchronized void finished(ObjectNode response) {
        result = response;
        if (current != null) {
            finish();
        }
    }

    private void finish() {
        ObjectNode answer = result.deepCopy();
        answer.set("id", current.call().id());
        origin.missingCapabilities().forEach(current.call()::lacked);
        current.answer().complete(answer);
        current = null;
        open.clear();
        end();
    }

    private void gather() {
        if (!gathering) {
            gathering = true;
            CompletableFuture.delayedExecutor(GATHER_MILLIS, TimeUnit.MILLISECONDS).execute(this::askClient);
        }
    }

    /** Answers the round with what is open: an {@code input_required} result, whose state the client brings back. */
    private synchronized void askClient() {
        gathering = false;
        if (current == null || open.isEmpty() || result != null || over) {
            return;
        }
        ObjectNode interim = JsonRpc.MAPPER.createObjectNode().put("resultType", "input_required");
        ObjectNode requests = interim.putObject("inputRequests");
        open.forEach((key, ask) -> requests.set(key, ask.modern()));
        interim.put("requestState", sealer.apply(this));
        current.answer().complete(JsonRpc.result(current.call().id(), interim));
        current = null;
        long waiting = ++generation;
        CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS).execute(() -> expire(waiting));
    }

    /**
     * The client did not retry in time: the call is cancelled at the backend, its result discarded, and each open
     * request is answered for the client (an elicitation as dismissed, {@code cancel}; the rest with a timeout error).
     */
    private synchronized void expire(long waiting) {
        if (waiting != generation || current != null || over) {
            return;
        }
        String why = "the client did not retry within " + wait.toMillis() + " ms";
        if (result == null) {
            origin.cancel(why);
        }
        open.values().forEach(ask -> ask.backendClient().send(ask.method().equals("elicitation/create")
                ? JsonRpc.result(ask.backendRequestId(), JsonRpc.MAPPER.createObjectNode().put("action", "cancel"))
                : JsonRpc.error(ask.backendRequestId(), ErrorCode.REQUEST_TIMEOUT.code(), why)));
        open.clear();
        end();
    }

    /** The call ends for the gateway (its result went out, or the wait is over): nothing more continues it. */
    private void end() {
        if (!over) {
            over = true;
            ended.accept(this);
        }
    }

    static GatewayException ended() {
        return new GatewayException(ErrorCode.INVALID_PARAMS, "requestState: the call it continues has ended (its wait for the"
                + " retry ran out, it was cancelled, or it is held by another gateway node); send the request again without it");
    }
}
