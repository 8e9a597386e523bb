package io.mcpgw.server.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.GatewayVersion;
import io.mcpgw.server.audit.AuditEventBuilder;
import io.mcpgw.server.audit.AuditJournal;
import io.mcpgw.server.catalog.Catalog;
import io.mcpgw.server.catalog.Target;
import io.mcpgw.server.catalog.View;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.credentials.CredentialBroker;
import io.mcpgw.server.egress.AnswerHook;
import io.mcpgw.server.egress.Backend;
import io.mcpgw.server.egress.BackendCall;
import io.mcpgw.server.egress.BackendRequest;
import io.mcpgw.server.egress.ListKind;
import io.mcpgw.server.governance.Governance;
import io.mcpgw.server.jsonrpc.ClientText;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.server.relay.Relay;
import io.mcpgw.server.session.ClientCall;
import io.mcpgw.server.session.ClientSession;
import io.mcpgw.server.session.LogLevel;
import io.mcpgw.server.telemetry.GatewayMetrics;
import io.mcpgw.server.telemetry.RequestLog;
import io.mcpgw.server.telemetry.RequestTracing;
import io.mcpgw.spi.audit.AuditEvent;
import io.mcpgw.spi.credentials.Credentials;
import io.mcpgw.spi.audit.AuditEventType;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.logging.log4j.CloseableThreadContext;
import org.apache.logging.log4j.Logger;

/**
 * The MCP methods a client may call, whatever transport carried them: lists come from the catalog, everything
 * else is routed to the backend that serves it, with the client's request id put back on the answer.
 */
@Singleton
public final class McpDispatcher {

    /** Newest first; a client asking for another revision is offered the newest. */
    public static final List<String> PROTOCOL_VERSIONS = List.of("2025-11-25", "2025-06-18", "2025-03-26");
    /**
     * What the transports without HTTP headers per message (WebSocket, the 2024-11-05 SSE transport) also speak:
     * clients built for the SSE transport ask for 2024-11-05 and accept nothing else.
     */
    public static final List<String> CHANNEL_PROTOCOL_VERSIONS = List.of("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05");

    /** One line per client request at DEBUG, with who asked in its context: raise this logger to see them. */
    private static final Logger REQUESTS = RequestLog.LOGGER;
    /** Methods whose span names what they call; other targets (URIs) are unbounded. */
    private static final Set<String> TRACED_TARGETS = Set.of("tools/call", "prompts/get");

    private final Catalog catalog;
    private final Relay relay;
    private final Governance governance;
    private final AuditJournal journal;
    private final CredentialBroker credentials;
    private final RequestTracing tracing;
    private final GatewayMetrics metrics;
    private final Pages pages;

    @Inject
    McpDispatcher(Catalog catalog, Relay relay, Governance governance, AuditJournal journal, CredentialBroker credentials,
            RequestTracing tracing, GatewayMetrics metrics, McpgwConfig config) {
        this.tracing = tracing;
        this.metrics = metrics;
        this.journal = journal;
        this.credentials = credentials;
        this.catalog = catalog;
        this.relay = relay;
        this.governance = governance;
        this.pages = new Pages(config.server().pageSize());
    }

    /** The negotiated revision and the {@code initialize} result. */
    public record Initialized(String protocolVersion, ObjectNode result) {}

    /** Negotiates the revision among {@code supported} (newest first) and describes what {@code view} offers. */
    public Initialized initialize(View view, JsonNode params, List<String> supported) {
        String requested = params.path("protocolVersion").asText("");
        String version = supported.contains(requested) ? requested : supported.getFirst();
        ObjectNode result = JsonRpc.MAPPER.createObjectNode().put("protocolVersion", version);
        ObjectNode capabilities = result.putObject("capabilities");
        for (String capability : catalog.offeredCapabilities(view)) {
            ObjectNode offered = capabilities.putObject(capability);
            if (!capability.equals("completions") && !capability.equals("logging")) {
                offered.put("listChanged", true);
            }
        }
        if (catalog.backends(view).stream().anyMatch(backend -> backend.snapshot().capabilities().path("resources").path("subscribe").asBoolean())) {
            capabilities.withObjectProperty("resources").put("subscribe", true);
        }
        List<JsonNode> taskCapabilities = catalog.backends(view).stream().map(backend -> backend.snapshot().capabilities().path("tasks"))
                .filter(JsonNode::isObject).toList();
        if (!taskCapabilities.isEmpty()) {
            // list and cancel are the gateway's own; task-augmented calls go through where a backend takes them
            ObjectNode tasks = capabilities.putObject("tasks");
            tasks.putObject("list");
            tasks.putObject("cancel");
            if (taskCapabilities.stream().anyMatch(offered -> offered.path("requests").path("tools").has("call"))) {
                tasks.putObject("requests").putObject("tools").putObject("call");
            }
        }
        String name = view.single().map(backend -> "mcpgw/" + backend.id()).orElse("mcpgw");
        result.putObject("serverInfo").put("name", name).put("version", GatewayVersion.full());
        view.single().map(backend -> backend.snapshot().initializeResult().path("instructions").textValue())
                .ifPresent(instructions -> result.put("instructions", instructions));
        return new Initialized(version, result);
    }

    /**
     * Answers one request; the future never fails: errors are JSON-RPC error responses. The call ends when the
     * answer is ready; what the backend says about it before that goes to the call. The request is traced under the
     * caller's trace context ({@code transport} carries the one from HTTP headers), and what is logged while it is
     * dispatched carries who asked and which request it is. With audit sinks, the answer is released only once the
     * call's audit events are written to the journal.
     */
    public CompletableFuture<ObjectNode> handle(ClientCall call, ObjectNode request, Context transport) {
        String method = request.path("method").asText();
        JsonNode params = request.path("params");
        ClientSession session = call.session();
        Span span = tracing.startRequest(method, TRACED_TARGETS.contains(method) ? params.path("name").asText() : "",
                tracing.parentOf(params, transport));
        span.setAttribute("mcp.session.id", session.id());
        span.setAttribute("jsonrpc.request.id", call.id().asText());
        CompletableFuture<ObjectNode> answer;
        try (Scope ignored = span.makeCurrent();
                CloseableThreadContext.Instance logged = CloseableThreadContext.put("tenant", session.principal().tenant())
                        .put("client", session.principal().client()).put("session", session.id())
                        .put("requestId", call.id().asText()).put("traceId", span.getSpanContext().getTraceId())) {
            REQUESTS.debug("{} {}", method, TRACED_TARGETS.contains(method) ? params.path("name").asText() : "");
            answer = answer(call, request);
            answer.whenComplete(RequestLog.answerOf(method));
        }
        answer.whenComplete((response, error) -> {
            session.endCall(call);
            RequestTracing.ended(span, response, error);
        });
        return journal.afterWritten(answer);
    }

    /** A client's notification, or its answer to a backend's request. */
    public void accept(ClientSession session, ObjectNode message) {
        if (JsonRpc.kind(message) == JsonRpc.Kind.RESPONSE) {
            relay.answered(session, message);
        } else {
            relay.notified(session, message);
        }
    }

    private CompletableFuture<ObjectNode> answer(ClientCall call, ObjectNode request) {
        JsonNode id = request.get("id");
        JsonNode params = request.path("params");
        ClientSession session = call.session();
        View view = session.view();
        try {
            return switch (request.path("method").asText()) {
                case "ping" -> done(JsonRpc.result(id, JsonRpc.MAPPER.createObjectNode()));
                case "tools/list" -> done(page(id, view, ListKind.TOOLS, params));
                case "prompts/list" -> done(page(id, view, ListKind.PROMPTS, params));
                case "resources/list" -> done(page(id, view, ListKind.RESOURCES, params));
                case "resources/templates/list" -> done(page(id, view, ListKind.RESOURCE_TEMPLATES, params));
                case "tools/call" -> forwardNamed(call, "tools/call", ListKind.TOOLS, params);
                case "prompts/get" -> forwardNamed(call, "prompts/get", ListKind.PROMPTS, params);
                case "resources/read" -> {
                    String uri = text(params, "uri");
                    yield forward(call, new Invocation(catalog.routeResource(view, uri), "resources/read", uri, uri, null), params);
                }
                case "completion/complete" -> complete(call, params);
                case "resources/subscribe" -> subscribe(call, text(params, "uri")).handle((result, error) -> answered(id, result, error));
                case "resources/unsubscribe" -> relay.unsubscribe(call, catalog.routeSubscription(view, text(params, "uri")), text(params, "uri"))
                        .handle((result, error) -> answered(id, result, error));
                case "logging/setLevel" -> {
                    LogLevel level = LogLevel.parse(text(params, "level"))
                            .orElseThrow(() -> new GatewayException(ErrorCode.INVALID_PARAMS, "Unknown log level: " + ClientText.excerpt(params.path("level").asText())));
                    relay.setLevel(session, level);
                    yield done(JsonRpc.result(id, JsonRpc.MAPPER.createObjectNode()));
                }
                case "tasks/get", "tasks/result", "tasks/cancel" -> relay.forwardTask(call, request.path("method").asText(), objectParams(params))
                        .handle((response, error) -> answeredWith(id, response, error));
                case "tasks/list" -> relay.listTasks(session).handle((result, error) -> answered(id, result, error));
                case "initialize" -> throw new GatewayException(ErrorCode.INVALID_REQUEST, "the session is already initialized");
                default -> throw new GatewayException(ErrorCode.METHOD_NOT_FOUND, "Method not found: " + ClientText.excerpt(request.path("method").asText()));
            };
        } catch (GatewayException e) {
            return done(JsonRpc.error(id, e));
        }
    }

    private ObjectNode page(JsonNode id, View view, ListKind kind, JsonNode params) {
        List<ObjectNode> items = catalog.list(view, kind);
        ObjectNode result = JsonRpc.MAPPER.createObjectNode();
        pages.fill(items, params.path("cursor").textValue(), result.putArray(kind.field()))
                .ifPresent(next -> result.put("nextCursor", next));
        if (kind == ListKind.TOOLS) {
            result.putObject("_meta").put(Catalog.VIEW_HASH, catalog.viewHash(view));
        }
        return JsonRpc.result(id, result);
    }

    private CompletableFuture<ObjectNode> forwardNamed(ClientCall call, String method, ListKind kind, JsonNode params) {
        String name = text(params, "name");
        Target target = catalog.route(call.session().view(), kind, name);
        ObjectNode forwarded = shallowCopy(params).put("name", target.nativeName());
        return forward(call, new Invocation(target.backend(), method, target.nativeName(), name, params.get("arguments")), forwarded);
    }

    private CompletableFuture<ObjectNode> complete(ClientCall call, JsonNode params) {
        View view = call.session().view();
        JsonNode ref = params.path("ref");
        ObjectNode forwarded = shallowCopy(objectParams(params));
        Invocation invocation;
        switch (ref.path("type").asText()) {
            case "ref/prompt" -> {
                String name = text(ref, "name");
                Target target = catalog.route(view, ListKind.PROMPTS, name);
                forwarded.set("ref", shallowCopy(ref).put("name", target.nativeName()));
                invocation = new Invocation(target.backend(), "completion/complete", target.nativeName(), name, null);
            }
            case "ref/resource" -> {
                String uri = text(ref, "uri");
                invocation = new Invocation(catalog.routeResource(view, uri), "completion/complete", uri, uri, null);
            }
            default -> throw new GatewayException(ErrorCode.INVALID_PARAMS, "completion/complete needs ref.type ref/prompt or ref/resource");
        }
        return forward(call, invocation, forwarded);
    }

    /** What a forwarded request invokes, as governance sees it. */
    private record Invocation(Backend backend, String method, String target, String namespacedTarget, JsonNode arguments) {}

    /** Admits the invocation (quotas, policies), then sends it to its backend. */
    private CompletableFuture<ObjectNode> forward(ClientCall call, Invocation invocation, JsonNode params) {
        Runnable release = tracing.inSpan("policy", () -> governance.admitInvocation(call, invocation.backend(), invocation.method(),
                invocation.target(), invocation.namespacedTarget(), invocation.arguments()));
        call.whenEnded(release);
        long started = System.nanoTime();
        Optional<Credentials> secrets;
        try {
            joinBackend(call, invocation.backend());
            secrets = tracing.inSpan("credentials", () -> credentials.forCall(call.session().principal(), invocation.backend().config()));
        } catch (GatewayException unavailable) {
            if (journal.enabled()) {
                journal.record(invocationEvent(AuditEventType.INVOCATION_FAILED, call, invocation).outcome("error")
                        .errorCode(unavailable.code().code()).meta("reason", unavailable.getMessage()).build());
            }
            throw unavailable;
        }
        if (journal.enabled()) {
            AuditEventBuilder event = invocationEvent(AuditEventType.INVOCATION_START, call, invocation);
            if (journal.includeArguments() && invocation.arguments() != null) {
                event.meta("arguments", JsonRpc.write(invocation.arguments()));
            }
            journal.record(event.build());
        }
        AnswerHook hook = params.has("task") ? (link, response) -> relay.taskCreated(call, link, response) : AnswerHook.NONE;
        Span backendSpan = tracing.startBackendCall(invocation.backend().id(), invocation.method());
        BackendCall sent;
        try (Scope ignored = backendSpan.makeCurrent()) {
            sent = invocation.backend().call(new BackendRequest(invocation.method(), tracing.withTraceContext(relay.outbound(call, params)),
                    call, hook, secrets));
        }
        call.forwarded(sent);
        return sent.response().handle((response, error) -> {
            ObjectNode answer = answeredWith(call.id(), response, error);
            RequestTracing.ended(backendSpan, answer, null);
            long nanos = System.nanoTime() - started;
            JsonNode failure = answer.get("error");
            metrics.callEnded(invocation.backend().id(), invocation.method(),
                    invocation.method().equals("resources/read") || invocation.method().equals("completion/complete")
                            ? Optional.empty() : Optional.of(invocation.namespacedTarget()),
                    nanos, failure == null ? Optional.empty() : Optional.of(failure.path("code").asInt()));
            if (journal.enabled()) {
                journal.record(ended(call, invocation, answer, nanos));
            }
            return answer;
        });
    }

    /**
     * Counts the session among the backend's (its {@code maxSessions}) from its first call there until it ends, when
     * the backend session that served it alone ({@code isolation}) ends too.
     */
    private static void joinBackend(ClientCall call, Backend backend) {
        if (backend.join(call)) {
            call.session().onClose(() -> backend.leave(call));
        }
    }

    /** {@code resources/subscribe}, on the backend session of the client's own (or its tenant's) unless the backend is shared. */
    private CompletableFuture<ObjectNode> subscribe(ClientCall call, String uri) {
        Backend backend = catalog.routeSubscription(call.session().view(), uri);
        joinBackend(call, backend);
        Optional<Credentials> secrets = credentials.forCall(call.session().principal(), backend.config());
        return relay.subscribe(call, backend, uri, secrets);
    }

    /** How the invocation ended: a result (a tool's own error counts as one), or an error from the backend or the gateway. */
    private static AuditEvent ended(ClientCall call, Invocation invocation, ObjectNode answer, long nanos) {
        JsonNode error = answer.get("error");
        AuditEventBuilder event = invocationEvent(error == null ? AuditEventType.INVOCATION_COMPLETE : AuditEventType.INVOCATION_FAILED,
                call, invocation).durationMicros(nanos / 1000);
        if (error != null) {
            event.outcome(call.cancelledByClient() ? "cancelled" : "error").errorCode(error.path("code").asInt());
        } else {
            event.outcome(answer.path("result").path("isError").asBoolean() ? "tool_error" : "ok");
        }
        return event.build();
    }

    private static AuditEventBuilder invocationEvent(AuditEventType type, ClientCall call, Invocation invocation) {
        return AuditEventBuilder.event(type).session(call.session()).backend(invocation.backend().id())
                .tool(invocation.namespacedTarget()).requestId(call.id()).meta("method", invocation.method());
    }

    /** A backend's whole response under the client's id. */
    private static ObjectNode answeredWith(JsonNode id, ObjectNode response, Throwable error) {
        if (error != null) {
            return failed(id, error);
        }
        response.set("id", id);
        return response;
    }

    private static ObjectNode answered(JsonNode id, ObjectNode result, Throwable error) {
        return error == null ? JsonRpc.result(id, result) : failed(id, error);
    }

    private static ObjectNode failed(JsonNode id, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof GatewayException gateway ? JsonRpc.error(id, gateway)
                : JsonRpc.error(id, ErrorCode.INTERNAL_ERROR.code(), "internal error");
    }

    /**
     * A copy of an object node whose own fields can be replaced while its children stay shared: the request's
     * arguments pass through unchanged, so copying them on every call would be wasted work.
     */
    private static ObjectNode shallowCopy(JsonNode object) {
        return JsonRpc.MAPPER.createObjectNode().setAll((ObjectNode) object);
    }

    private static JsonNode objectParams(JsonNode params) {
        if (!params.isObject()) {
            throw new GatewayException(ErrorCode.INVALID_PARAMS, "params must be an object");
        }
        return params;
    }

    private static String text(JsonNode params, String field) {
        JsonNode value = objectParams(params).get(field);
        if (value == null || !value.isTextual()) {
            throw new GatewayException(ErrorCode.INVALID_PARAMS, "params." + field + " must be a string");
        }
        return value.textValue();
    }

    private static CompletableFuture<ObjectNode> done(ObjectNode response) {
        return CompletableFuture.completedFuture(response);
    }
}
