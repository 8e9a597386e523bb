package io.mcpgw.server.relay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.egress.BackendClient;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.server.session.ClientCall;
import io.mcpgw.server.session.ClientSession;
import io.mcpgw.server.telemetry.Telemetry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Multi round-trip requests (MCP 2026-07-28) made of a legacy backend's requests to its client: a modern client's
 * {@code tools/call}, {@code prompts/get} or {@code resources/read} during which the backend asks for sampling,
 * elicitation or roots is answered with {@code input_required}, and held open on this node ({@link HeldCall}) until
 * the client's retry brings the answers and the sealed {@code requestState} that names the call.
 */
@Singleton
public final class HeldCalls {

    /** The requests a server may answer with {@code input_required}; during any other the backend's request is refused. */
    public static final Set<String> CONTINUABLE = Set.of("tools/call", "prompts/get", "resources/read");
    private static final Set<String> NOT_DIGESTED = Set.of("_meta", "inputResponses", "requestState");

    private final RequestStateSeal seal;
    private final Duration wait;
    private final int max;
    private final int maxPerClient;
    private final SecureRandom random = new SecureRandom();
    private final Map<ClientCall, HeldCall> byOrigin = new ConcurrentHashMap<>();
    private final Map<String, HeldCall> held = new ConcurrentHashMap<>();

    @Inject
    HeldCalls(RequestStateSeal seal, McpgwConfig config, Telemetry telemetry) {
        this.seal = seal;
        this.wait = config.server().clientRequestTimeout();
        this.max = config.server().maxPendingInputs();
        this.maxPerClient = config.server().maxPendingInputsPerClient();
        telemetry.meter().upDownCounterBuilder("mcpgw.input_required.pending")
                .setDescription("Modern clients' calls held open while a backend waits for their retry with its input")
                .buildWithCallback(gauge -> gauge.record(held.size()));
    }

    /**
     * The answer to a modern client's new request: the result {@code dispatch} gives, or, when the request may
     * continue over several and the backend asks the client something first, an {@code input_required} result. A
     * client that declared nothing it could be asked (sampling, elicitation, roots) costs nothing here.
     */
    public CompletableFuture<ObjectNode> serve(ClientCall call, String method, JsonNode params, Supplier<CompletableFuture<ObjectNode>> dispatch) {
        if (!CONTINUABLE.contains(method) || !call.session().mayBeAsked()) {
            return dispatch.get();
        }
        HeldCall continued = new HeldCall(newId(), call, method, () -> digest(params), wait, this::stateOf, this::ended);
        byOrigin.put(call, continued);
        CompletableFuture<ObjectNode> first = continued.begin(call);
        CompletableFuture<ObjectNode> answer;
        try {
            answer = dispatch.get();
        } catch (RuntimeException failed) {
            ended(continued);
            throw failed;
        }
        answer.whenComplete((response, error) -> continued.finished(response != null ? response
                : JsonRpc.error(call.id(), ErrorCode.INTERNAL_ERROR.code(), "the call failed")));
        return first;
    }

    /**
     * A retry ({@code requestState} in its params): its input responses go to the backend and its answer is the
     * call's next round; a state that does not open, is another client's or endpoint's, has expired, or continues
     * another request is {@code -32602}.
     */
    public CompletableFuture<ObjectNode> resume(ClientCall retry, String method, JsonNode params) {
        String text = params.path("requestState").textValue();
        if (text == null) {
            throw invalid("requestState must be the text of an input_required result");
        }
        RequestState state = seal.open(text).orElseThrow(() -> invalid("requestState was not sealed by this gateway, or was changed"));
        ClientSession session = retry.session();
        if (!state.tenant().equals(session.principal().tenant()) || !state.client().equals(session.principal().client())) {
            throw invalid("requestState belongs to another client");
        }
        if (!state.endpoint().equals(session.view().endpoint())) {
            throw invalid("requestState belongs to another endpoint (" + state.endpoint() + ")");
        }
        if (Instant.now().toEpochMilli() > state.expiresAtMillis()) {
            throw invalid("requestState expired at " + Instant.ofEpochMilli(state.expiresAtMillis()));
        }
        if (!state.method().equals(method) || !state.digest().equals(digest(params))) {
            throw invalid("requestState continues another request: a retry repeats the original's method and params");
        }
        JsonNode responses = params.path("inputResponses");
        if (!responses.isMissingNode() && !responses.isObject()) {
            throw invalid("inputResponses must be an object");
        }
        HeldCall call = held.get(state.call());
        if (call == null) {
            throw HeldCall.ended();
        }
        return call.resume(retry, responses);
    }

    /**
     * A backend asked the client of the modern call {@code origin} something, in the request {@code request}, whose
     * modern shape is {@code modern}: it goes into an {@code input_required} answer; or the reason it cannot.
     */
    Optional<String> ask(ClientCall origin, String backendId, BackendClient backendClient, ObjectNode request, ObjectNode modern) {
        HeldCall call = byOrigin.get(origin);
        if (call == null) {
            return Optional.of("the client speaks MCP " + origin.session().protocolVersion() + ", where a server asks its client things only in"
                    + " the input_required result of a tools/call, prompts/get or resources/read");
        }
        if (!call.asked()) {
            Optional<String> past = admit(call);
            if (past.isPresent()) {
                return past;
            }
        }
        call.ask(backendId, backendClient, request.get("id"), request.path("method").asText(), modern);
        return Optional.empty();
    }

    /** Holds {@code call}, unless that would hold more calls than the bounds allow: then why not. */
    private synchronized Optional<String> admit(HeldCall call) {
        if (held.size() >= max) {
            return Optional.of("mcpgw holds " + max + " calls waiting for their clients' input already (server.maxPendingInputs)");
        }
        ClientCall origin = call.origin();
        String client = origin.session().principal().client();
        long mine = held.values().stream().filter(each -> each.origin().tenant().equals(origin.tenant())
                && each.origin().session().principal().client().equals(client)).count();
        if (mine >= maxPerClient) {
            return Optional.of("mcpgw holds " + maxPerClient + " of this client's calls waiting for its input already"
                    + " (server.maxPendingInputsPerClient)");
        }
        held.put(call.id(), call);
        return Optional.empty();
    }

    /** The backend withdrew a request it made. */
    void withdrawn(BackendClient backendClient, JsonNode backendRequestId) {
        held.values().forEach(call -> call.withdrawn(backendClient, backendRequestId));
    }

    /** A backend connection closed. */
    void closed(BackendClient backendClient) {
        held.values().forEach(call -> call.closed(backendClient));
    }

    /** Calls held open now: the gauge's value. */
    public int count() {
        return held.size();
    }

    private String stateOf(HeldCall call) {
        ClientSession session = call.origin().session();
        return seal.seal(new RequestState(call.id(), call.backend(), session.principal().tenant(), session.principal().client(),
                session.view().endpoint(), call.method(), call.digest(), Instant.now().plus(wait).toEpochMilli(), null));
    }

    private void ended(HeldCall call) {
        held.remove(call.id(), call);
        byOrigin.remove(call.origin(), call);
    }

    private String newId() {
        byte[] id = new byte[16];
        random.nextBytes(id);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    }

    /** SHA-256 of the request's params but its {@code _meta} and the retry's own fields, keys sorted: the request it is. */
    private static String digest(JsonNode params) {
        TreeMap<String, JsonNode> salient = new TreeMap<>();
        params.properties().forEach(field -> {
            if (!NOT_DIGESTED.contains(field.getKey())) {
                salient.put(field.getKey(), sorted(field.getValue()));
            }
        });
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(JsonRpc.MAPPER.writeValueAsString(salient).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException("a digest of the params could not be made", e);
        }
    }

    private static JsonNode sorted(JsonNode node) {
        if (node instanceof ObjectNode object) {
            ObjectNode ordered = JsonRpc.MAPPER.createObjectNode();
            new TreeMap<>(object.properties().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)))
                    .forEach((key, value) -> ordered.set(key, sorted(value)));
            return ordered;
        }
        if (node.isArray()) {
            ArrayNode ordered = JsonRpc.MAPPER.createArrayNode();
            node.forEach(item -> ordered.add(sorted(item)));
            return ordered;
        }
        return node;
    }

    private static GatewayException invalid(String why) {
        return new GatewayException(ErrorCode.INVALID_PARAMS, why);
    }
}
