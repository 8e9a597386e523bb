package io.mcpgw.server.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.audit.AuditJournal;
import io.mcpgw.server.catalog.Catalog;
import io.mcpgw.server.catalog.View;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.egress.ListKind;
import io.mcpgw.server.invocation.InvocationPipeline;
import io.mcpgw.server.jsonrpc.Answers;
import io.mcpgw.server.jsonrpc.ClientText;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.server.jsonrpc.Params;
import io.mcpgw.server.relay.Relay;
import io.mcpgw.server.session.ClientCall;
import io.mcpgw.server.session.ClientSession;
import io.mcpgw.server.session.LogLevel;
import io.mcpgw.server.telemetry.RequestLog;
import io.mcpgw.server.telemetry.RequestTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.logging.log4j.CloseableThreadContext;
import org.apache.logging.log4j.Logger;

/**
 * The MCP methods a client may call in its session, whatever transport carried them: lists come from the catalog,
 * a page at a time; invocations go through the {@link InvocationPipeline}; the rest (subscriptions, log level,
 * tasks) to the relay. {@code initialize} opens the session, so it is not among them (see {@link SessionOpener}).
 * A modern (2026-07-28) request's session is its own, and {@code server/discover} is answered for it; which of
 * these methods the modern era has is the transport's to check (see {@link ModernAnswers#SERVED}).
 */
@Singleton
public final class McpDispatcher {

    /** One line per client request at DEBUG, with who asked in its context: raise this logger to see them. */
    private static final Logger REQUESTS = RequestLog.LOGGER;
    /** Methods whose span names what they call; other targets (URIs) are unbounded. */
    private static final Set<String> TRACED_TARGETS = Set.of("tools/call", "prompts/get");

    private final Catalog catalog;
    private final Relay relay;
    private final InvocationPipeline invocations;
    private final AuditJournal journal;
    private final RequestTracing tracing;
    private final Pages pages;
    private final DiscoverResult discover;
    private final TaskAugmentation augmentation;

    @Inject
    McpDispatcher(Catalog catalog, Relay relay, InvocationPipeline invocations, AuditJournal journal, RequestTracing tracing,
            McpgwConfig config, DiscoverResult discover, TaskAugmentation augmentation) {
        this.discover = discover;
        this.augmentation = augmentation;
        this.catalog = catalog;
        this.relay = relay;
        this.invocations = invocations;
        this.journal = journal;
        this.tracing = tracing;
        this.pages = new Pages(config.server().pageSize());
    }

    /**
     * Answers one request; the future never fails: errors are JSON-RPC error responses. The call ends when the
     * answer is ready; what the backend says about it before that goes to the call. The request is traced under the
     * caller's trace context ({@code transport} carries the one from HTTP headers), and what is logged while it is
     * dispatched carries who asked and which request it is. With audit sinks, the answer is released only once the
     * call's audit events are written to the journal. {@code onIoThread}: the edge serves the request on the I/O
     * thread that read it, where nothing may block; the mode goes with the request to the backend.
     */
    public CompletableFuture<ObjectNode> handle(ClientCall call, ObjectNode request, Context transport, boolean onIoThread) {
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
            answer = answer(call, request, onIoThread);
            answer.whenComplete(RequestLog.answerOf(method));
        }
        answer.whenComplete((response, error) -> {
            session.endCall(call);
            RequestTracing.ended(span, response, error);
        });
        return journal.afterWritten(answer);
    }

    /**
     * Whether answering a request asks nothing that could block, so that it may run on the I/O thread that read it:
     * lists and the relay's methods never block; an invocation does not when its pipeline says so.
     */
    public boolean answersAtOnce() {
        return invocations.runsAtOnce();
    }

    /** A client's notification, or its answer to a backend's request. */
    public void accept(ClientSession session, ObjectNode message) {
        if (JsonRpc.kind(message) == JsonRpc.Kind.RESPONSE) {
            relay.answered(session, message);
        } else {
            relay.notified(session, message);
        }
    }

    private CompletableFuture<ObjectNode> answer(ClientCall call, ObjectNode request, boolean onIoThread) {
        JsonNode id = request.get("id");
        JsonNode params = request.path("params");
        ClientSession session = call.session();
        View view = session.view();
        String method = request.path("method").asText();
        try {
            return switch (method) {
                case "ping" -> done(JsonRpc.result(id, JsonRpc.MAPPER.createObjectNode()));
                // only Streamable HTTP serves the modern era, so a modern session is that transport's
                case "server/discover" -> {
                    if (!session.modern()) {
                        throw new GatewayException(ErrorCode.METHOD_NOT_FOUND, "Method not found: server/discover (MCP 2026-07-28;"
                                + " this session speaks " + session.protocolVersion() + ")");
                    }
                    yield done(JsonRpc.result(id, discover.of(view, session.protocolVersion(), ProtocolVersions.STREAMABLE_HTTP_ALL)));
                }
                case "tools/list" -> done(page(id, view, ListKind.TOOLS, params, session.modern()));
                case "prompts/list" -> done(page(id, view, ListKind.PROMPTS, params, false));
                case "resources/list" -> done(page(id, view, ListKind.RESOURCES, params, false));
                case "resources/templates/list" -> done(page(id, view, ListKind.RESOURCE_TEMPLATES, params, false));
                case "tools/call" -> session.modern() ? modernCall(call, params, onIoThread) : invocations.invoke(call, method, params, onIoThread);
                case "prompts/get", "resources/read", "completion/complete" -> invocations.invoke(call, method, params, onIoThread);
                case "resources/subscribe" -> invocations.subscribe(call, Params.text(params, "uri"))
                        .handle((result, error) -> Answers.ofResult(id, result, error));
                case "resources/unsubscribe" -> invocations.unsubscribe(call, Params.text(params, "uri"))
                        .handle((result, error) -> Answers.ofResult(id, result, error));
                case "logging/setLevel" -> {
                    LogLevel level = LogLevel.parse(Params.text(params, "level"))
                            .orElseThrow(() -> new GatewayException(ErrorCode.INVALID_PARAMS, "Unknown log level: " + ClientText.excerpt(params.path("level").asText())));
                    relay.setLevel(session, level);
                    yield done(JsonRpc.result(id, JsonRpc.MAPPER.createObjectNode()));
                }
                case "tasks/get", "tasks/result", "tasks/cancel", "tasks/update" -> {
                    if (session.modern()) {
                        TaskAugmentation.requireDeclared(session.clientCapabilities());
                    } else if (method.equals("tasks/update")) {
                        throw new GatewayException(ErrorCode.METHOD_NOT_FOUND, "Method not found: tasks/update (the tasks extension of"
                                + " MCP 2026-07-28; this session speaks " + session.protocolVersion() + ")");
                    }
                    yield relay.forwardTask(call, method, Params.object(params)).handle((response, error) -> Answers.withId(id, response, error));
                }
                case "tasks/list" -> relay.listTasks(session).handle((result, error) -> Answers.ofResult(id, result, error));
                case "initialize" -> throw new GatewayException(ErrorCode.INVALID_REQUEST, "the session is already initialized");
                default -> throw new GatewayException(ErrorCode.METHOD_NOT_FOUND, "Method not found: " + ClientText.excerpt(method));
            };
        } catch (GatewayException e) {
            return done(JsonRpc.error(id, e));
        }
    }

    /** A modern client's {@code tools/call}: run as a task at its backend where {@link TaskAugmentation} says so. */
    private CompletableFuture<ObjectNode> modernCall(ClientCall call, JsonNode params, boolean onIoThread) {
        TaskAugmentation.Plan plan = augmentation.plan(call.session(), params);
        CompletableFuture<ObjectNode> answer = invocations.invoke(call, "tools/call", plan.params(), onIoThread);
        if (!plan.awaited()) {
            return answer;
        }
        return answer.thenCompose(response -> relay.awaitTask(call, response)).handle((response, error) -> Answers.withId(call.id(), response, error));
    }

    /** A page of a list; {@code byName}: in name order (a modern client's tools). */
    private ObjectNode page(JsonNode id, View view, ListKind kind, JsonNode params, boolean byName) {
        List<ObjectNode> items = byName ? catalog.listByName(view, kind) : catalog.list(view, kind);
        ObjectNode result = JsonRpc.MAPPER.createObjectNode();
        pages.fill(items, params.path("cursor").textValue(), result.putArray(kind.field()))
                .ifPresent(next -> result.put("nextCursor", next));
        if (kind == ListKind.TOOLS) {
            result.putObject("_meta").put(Catalog.VIEW_HASH, catalog.viewHash(view));
        }
        return JsonRpc.result(id, result);
    }

    private static CompletableFuture<ObjectNode> done(ObjectNode response) {
        return CompletableFuture.completedFuture(response);
    }
}
