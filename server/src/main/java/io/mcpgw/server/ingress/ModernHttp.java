package io.mcpgw.server.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.catalog.Catalog;
import io.mcpgw.server.catalog.View;
import io.mcpgw.server.egress.ListKind;
import io.mcpgw.server.http.HttpProblem;
import io.mcpgw.server.jsonrpc.ClientText;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.server.mcp.McpDispatcher;
import io.mcpgw.server.mcp.ModernAnswers;
import io.mcpgw.server.mcp.ModernMeta;
import io.mcpgw.server.mcp.ProtocolVersions;
import io.mcpgw.server.mcp.SessionOpener;
import io.mcpgw.server.relay.HeldCalls;
import io.mcpgw.server.session.ClientCall;
import io.mcpgw.server.session.ClientSession;
import io.mcpgw.server.session.Sessionless;
import io.mcpgw.spi.identity.Identity;
import io.opentelemetry.context.Context;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The modern era (MCP 2026-07-28) on the Streamable HTTP endpoints: each POSTed request stands alone, its revision,
 * client capabilities and identity in its {@code _meta}, its mirrored headers checked against the body, served in a
 * session of its own that nothing keeps (no {@code Mcp-Session-Id} is minted or read), through the same dispatcher,
 * and so the same invocation pipeline, as a legacy session's; a {@code subscriptions/listen} goes to
 * {@link ModernListen}, whose stream lives as long as the client keeps it. Its answer comes as JSON, or on an SSE stream of its
 * own with what goes before it (progress, the log messages it asked for); closing that stream cancels the call.
 * Runs on a virtual thread, so it may block while a backend answers.
 */
@Singleton
final class ModernHttp {

    /**
     * How often a quiet response stream is written a comment: a client that closed it is found out at the next
     * write, and its call cancelled, within about twice this.
     */
    private static final long KEEP_ALIVE_MILLIS = 1000;
    private static final HttpString ACCEL_BUFFERING = new HttpString("X-Accel-Buffering");

    private final McpDispatcher dispatcher;
    private final SessionOpener opener;
    private final ModernAnswers answers;
    private final Catalog catalog;
    private final StreamableSessions streams;
    private final HeldCalls held;
    private final ModernListen listen;

    @Inject
    ModernHttp(McpDispatcher dispatcher, SessionOpener opener, ModernAnswers answers, Catalog catalog, StreamableSessions streams,
            HeldCalls held, ModernListen listen) {
        this.listen = listen;
        this.dispatcher = dispatcher;
        this.held = held;
        this.opener = opener;
        this.answers = answers;
        this.catalog = catalog;
        this.streams = streams;
    }

    /**
     * Whether a POSTed message is of the modern era: its {@code _meta} names a revision, or its
     * {@code MCP-Protocol-Version} header a modern one. An {@code initialize} is legacy unless its {@code _meta}
     * or header says modern; a batch is always legacy (the modern era has none).
     */
    static boolean classifies(HttpServerExchange exchange, JsonNode body) {
        if (!(body instanceof ObjectNode message)) {
            return false;
        }
        String header = exchange.getRequestHeaders().getFirst(McpHttpHandler.PROTOCOL_VERSION);
        boolean headerModern = header != null && ProtocolVersions.isModern(header);
        Optional<String> named = ModernMeta.protocolVersion(message);
        if ("initialize".equals(message.path("method").asText())) {
            return headerModern || named.filter(ProtocolVersions::isModern).isPresent();
        }
        return headerModern || named.isPresent();
    }

    /** Serves one modern message; blocks until its answer has gone. */
    void serve(HttpServerExchange exchange, View endpoint, Identity caller, Accept accept, ObjectNode message, Context traced)
            throws InterruptedException {
        switch (JsonRpc.kind(message)) {
            case NOTIFICATION -> {
                // the modern era defines no client notification over HTTP (closing a stream cancels): accepted, nothing to do
                exchange.setStatusCode(202);
                return;
            }
            case RESPONSE -> throw HttpProblem.badRequest("A 2026-07-28 client sends no responses: the server asks nothing of it");
            default -> { }
        }
        JsonNode id = message.get("id");
        String method = message.path("method").asText();
        ClientSession session;
        try {
            Sessionless client = admit(exchange.getRequestHeaders(), message, method);
            if (method.equals("subscriptions/listen")) {
                listen.serve(exchange, endpoint, caller, client, accept, message);
                return;
            }
            session = opener.ephemeral(endpoint, caller, client);
            checkParams(exchange.getRequestHeaders(), session, message, method);
        } catch (GatewayException refused) {
            refuse(exchange, id, refused);
            return;
        }
        PostOutlet outlet = new PostOutlet(session, accept.eventStream());
        ClientCall call = session.startCall(id, outlet);
        CompletableFuture<ObjectNode> served;
        try {
            served = continued(call, message, method, traced);
        } catch (GatewayException refused) {
            session.endCall(call);
            refuse(exchange, id, refused);
            return;
        }
        CompletableFuture<ObjectNode> answer = served
                .thenApply(response -> answers.shape(response, message, session.view(), call.missingCapabilities()));
        boolean streamAtOnce = accept.eventStream() && message.path("params").path("_meta").has("progressToken");
        if (accept.json() && !streamAtOnce && outlet.answersAlone(answer)) {
            ObjectNode response = answer.join();
            int status = response.path("error").path("code").asInt() == ErrorCode.MISSING_CLIENT_CAPABILITY.code() ? 400 : 200;
            HttpExchanges.respondWithJson(exchange, status, response);
            return;
        }
        exchange.getResponseHeaders().put(ACCEL_BUFFERING, "no");
        SseChannel channel = HttpExchanges.openEventStream(exchange);
        SseStream stream = streams.create().openStream();
        stream.attach(channel, false, 0);
        outlet.streamTo(stream);
        answer.whenComplete((response, error) -> {
            if (!call.cancelledByClient()) {
                stream.emit(JsonRpc.write(response));
            }
            stream.finish();
        });
        channel.pump(KEEP_ALIVE_MILLIS);
        if (!answer.isDone()) {
            call.cancel("the client closed the response stream");
        }
    }

    /**
     * The request's answer: a retry ({@code requestState} in its params) continues the call it names, held open since
     * an {@code input_required} answer; any other request is served, and may itself be answered {@code input_required}.
     */
    private CompletableFuture<ObjectNode> continued(ClientCall call, ObjectNode message, String method, Context traced) {
        JsonNode params = message.path("params");
        if (params.has("requestState")) {
            CompletableFuture<ObjectNode> answer = held.resume(call, method, params);
            answer.whenComplete((response, error) -> call.session().endCall(call));
            return answer;
        }
        return held.serve(call, method, params, () -> dispatcher.handle(call, message, traced, false));
    }

    /**
     * The request's client, once the request passed the modern era's checks, in the spec's order: a header revision
     * that is the body's ({@code -32020}), a revision the gateway speaks ({@code -32022}), the other mirrored headers
     * ({@code -32020}), a method the era has ({@code -32601}), the required {@code _meta} fields ({@code -32602}); the
     * caller's admission and the tool's {@code Mcp-Param-*} follow (see {@link #checkParams}).
     */
    private static Sessionless admit(HeaderMap headers, ObjectNode message, String method) {
        String version = ModernMeta.protocolVersion(message).orElseThrow(() -> new GatewayException(ErrorCode.INVALID_PARAMS,
                "_meta[\"" + ModernMeta.PROTOCOL_VERSION + "\"] is required (the MCP-Protocol-Version header names a 2026-07-28 revision)"));
        // a header that says another revision than the body is a mismatch (-32020) before the revision is judged
        MirroredHeaders.checkVersion(headers.getFirst(McpHttpHandler.PROTOCOL_VERSION), version);
        if (!ProtocolVersions.isModern(version)) {
            ObjectNode data = JsonRpc.MAPPER.createObjectNode();
            ProtocolVersions.STREAMABLE_HTTP_ALL.forEach(data.putArray("supported")::add);
            data.put("requested", version);
            throw new GatewayException(ErrorCode.UNSUPPORTED_PROTOCOL_VERSION, "Unsupported protocol version: " + ClientText.excerpt(version)
                    + " (per-request _meta is 2026-07-28's; earlier revisions begin with initialize)", data);
        }
        MirroredHeaders.checkStandard(headers, message);
        if (!ModernAnswers.SERVED.contains(method)) {
            throw new GatewayException(ErrorCode.METHOD_NOT_FOUND, "Method not found: " + ClientText.excerpt(method)
                    + (method.equals("initialize") ? " (MCP 2026-07-28 has no initialize: every request carries its _meta)" : ""));
        }
        return ModernMeta.client(message.path("params"), version);
    }

    /** A tool call's {@code Mcp-Param-*} headers, checked against the arguments of the tool the session's view names. */
    private void checkParams(HeaderMap headers, ClientSession session, ObjectNode message, String method) {
        if (method.equals("tools/call")) {
            JsonNode params = message.path("params");
            String name = params.path("name").asText();
            catalog.list(session.view(), ListKind.TOOLS).stream().filter(tool -> tool.path("name").asText().equals(name)).findFirst()
                    .ifPresent(tool -> MirroredHeaders.checkParams(headers, tool, params.path("arguments")));
        }
    }

    /**
     * Refuses the request with its own id: method not found is HTTP 404, the modern era's errors and a malformed
     * request 400, the caller's admission what its code says (401, 403, 429 with {@code Retry-After}).
     */
    private static void refuse(HttpServerExchange exchange, JsonNode id, GatewayException refused) {
        int status = refused.code() == ErrorCode.METHOD_NOT_FOUND ? 404 : refused.code().httpStatus().orElse(400);
        HttpExchanges.retryAfter(refused).forEach((name, value) -> exchange.getResponseHeaders().put(new HttpString(name), value));
        HttpExchanges.respondWithJson(exchange, status, JsonRpc.error(id, refused));
    }
}
