package io.mcpgw.server.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.catalog.View;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.config.ServerConfig;
import io.mcpgw.server.http.HttpProblem;
import io.mcpgw.server.io.IoThreads;
import io.mcpgw.server.jsonrpc.ClientText;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.server.mcp.McpDispatcher;
import io.mcpgw.server.mcp.ModernMeta;
import io.mcpgw.server.mcp.ProtocolVersions;
import io.mcpgw.server.mcp.SessionOpener;
import io.mcpgw.server.session.ClientCall;
import io.mcpgw.server.session.ClientSession;
import io.mcpgw.server.session.SessionStore;
import io.mcpgw.server.session.Sessionless;
import io.mcpgw.server.telemetry.RequestTracing;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.mcpgw.spi.identity.Identity;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The Streamable HTTP transport at {@code /mcp}, {@code /servers/<id>/mcp} and {@code /agents/<name>/mcp}, both eras
 * on the same endpoints: a POST classified modern (MCP 2026-07-28, see {@link ModernHttp#classifies}) goes to
 * {@link ModernHttp}; the rest is the legacy era's (2025-11-25 and earlier: sessions, GET stream, resumption). Runs
 * on a virtual thread per request, so it may block while a backend answers.
 */
@Singleton
public final class McpHttpHandler implements HttpHandler {

    static final HttpString SESSION_ID = new HttpString("Mcp-Session-Id");
    static final HttpString PROTOCOL_VERSION = new HttpString("MCP-Protocol-Version");
    static final HttpString LAST_EVENT_ID = new HttpString("Last-Event-ID");

    /** What a client without the header speaks (the spec's rule for a missing MCP-Protocol-Version). */
    private static final String DEFAULT_PROTOCOL_VERSION = "2025-03-26";
    private static final String FIRST_BATCHLESS_VERSION = "2025-06-18";
    private static final String FIRST_PRIMING_VERSION = "2025-11-25";
    private static final long RETRY_MILLIS = 1000;
    private static final long KEEP_ALIVE_MILLIS = 15_000;

    private static final TextMapGetter<HeaderMap> HEADERS = new TextMapGetter<>() {
        @Override
        public String get(HeaderMap headers, String name) {
            return headers == null ? null : headers.getFirst(name);
        }
    };

    private final ServerConfig config;
    private final McpDispatcher dispatcher;
    private final SessionStore sessions;
    private final SessionOpener opener;
    private final StreamableSessions streams;
    private final Endpoints endpoints;
    private final Authenticator authenticator;
    private final RequestTracing tracing;
    private final IoThreads io;
    private final ModernHttp modern;

    @Inject
    McpHttpHandler(McpgwConfig config, McpDispatcher dispatcher, SessionStore sessions, SessionOpener opener, StreamableSessions streams,
            Endpoints endpoints, Authenticator authenticator, RequestTracing tracing, IoThreads io, ModernHttp modern) {
        this.modern = modern;
        this.opener = opener;
        this.streams = streams;
        this.io = io;
        this.tracing = tracing;
        this.authenticator = authenticator;
        this.config = config.server();
        this.dispatcher = dispatcher;
        this.sessions = sessions;
        this.endpoints = endpoints;
    }

    /** The caller's trace context from the request's {@code traceparent} and {@code tracestate} headers. */
    private Context traceContext(HttpServerExchange exchange) {
        return tracing.extract(exchange.getRequestHeaders(), HEADERS);
    }

    /**
     * A POST is read and, when nothing on its way can block, served on the I/O thread that read it (a call's answer
     * then comes back on that thread too); everything else, and whatever may wait, runs on a virtual thread.
     */
    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.isInIoThread() && exchange.getRequestMethod().equals(Methods.POST) && servesAtOnce()) {
            HttpExchanges.serveAtOnce(exchange, () -> receive(exchange));
            return;
        }
        HttpExchanges.serveBlocking(exchange, this, this::serve);
    }

    /**
     * Whether nothing that could block is configured on a request's way: identity, policies, credentials. Decided
     * here once; the mode then goes with the request to the backend call.
     */
    private boolean servesAtOnce() {
        return authenticator.resolvesAtOnce() && dispatcher.answersAtOnce();
    }

    private void receive(HttpServerExchange exchange) {
        Endpoints.Admission admitted = endpoints.admit(exchange, "mcp");
        Accept accept = acceptOfPost(exchange);
        HttpExchanges.checkJsonHeaders(exchange, config.maxRequestBytes());
        exchange.getRequestReceiver().setMaxBufferSize(config.maxRequestBytes());
        exchange.getRequestReceiver().receiveFullBytes(
                (received, bytes) -> received.dispatch(SameThreadExecutor.INSTANCE, () -> HttpExchanges.serveAtOnce(received,
                        () -> posted(received, admitted, accept, HttpExchanges.parseJson(bytes, config.maxRequestBytes())))),
                (failed, error) -> failed.dispatch(SameThreadExecutor.INSTANCE, () -> HttpExchanges.serveAtOnce(failed, () -> {
                    throw HttpExchanges.unreadable(failed, error, config.maxRequestBytes());
                })));
    }

    /** A POSTed message read on the I/O thread: a request is answered from there, the rest continues on a virtual thread. */
    private void posted(HttpServerExchange exchange, Endpoints.Admission admitted, Accept accept, JsonNode body) {
        if (ModernHttp.classifies(exchange, body)) {
            HttpExchanges.continueBlocking(exchange, io.virtualThreads(),
                    blocking -> modern.serve(blocking, admitted.view(), admitted.caller(), accept, (ObjectNode) body, traceContext(blocking)));
            return;
        }
        if (!(body instanceof ObjectNode message) || JsonRpc.kind(message) != JsonRpc.Kind.REQUEST) {
            HttpExchanges.continueBlocking(exchange, io.virtualThreads(), blocking -> post(blocking, admitted.view(), admitted.caller(), accept, body));
            return;
        }
        try {
            postedRequest(exchange, admitted, accept, message);
        } catch (HttpProblem refused) {
            throw refused.forRequest(JsonRpc.idToEcho(message));
        }
    }

    private void postedRequest(HttpServerExchange exchange, Endpoints.Admission admitted, Accept accept, ObjectNode message) {
        if ("initialize".equals(message.path("method").asText())) {
            initialize(exchange, admitted.view(), admitted.caller(), message);
            return;
        }
        Started started = start(exchange, session(exchange, admitted.view(), admitted.caller(), message), accept, message, true);
        if (!started.mayAnswerJson()) {
            HttpExchanges.continueBlocking(exchange, io.virtualThreads(), blocking -> stream(blocking, started));
            return;
        }
        started.outlet().whenDecided(started.answer(), alone -> {
            if (!alone) {
                HttpExchanges.continueBlocking(exchange, io.virtualThreads(), blocking -> stream(blocking, started));
            } else {
                // Undertow's non-blocking sender may write from any thread: a stdio backend's reader answers directly.
                HttpExchanges.respondWithJson(exchange, 200, started.answer().join());
            }
        });
    }

    private void serve(HttpServerExchange exchange) throws IOException, InterruptedException {
        Endpoints.Admission admitted = endpoints.admit(exchange, "mcp");
        View view = admitted.view();
        Identity caller = admitted.caller();
        String version = exchange.getRequestHeaders().getFirst(PROTOCOL_VERSION);
        if (!exchange.getRequestMethod().equals(Methods.POST) && version != null && ProtocolVersions.isModern(version)) {
            exchange.getResponseHeaders().put(Headers.ALLOW, "POST");
            throw new HttpProblem(405, ErrorCode.INVALID_REQUEST, "Method not allowed: MCP " + version
                    + " has no GET stream and no sessions; every request is a POST");
        }
        if (exchange.getRequestMethod().equals(Methods.POST)) {
            post(exchange, view, caller);
        } else if (exchange.getRequestMethod().equals(Methods.GET)) {
            get(exchange, view, caller);
        } else if (exchange.getRequestMethod().equals(Methods.DELETE)) {
            delete(exchange, caller);
        } else {
            exchange.getResponseHeaders().put(Headers.ALLOW, "GET, POST, DELETE");
            throw new HttpProblem(405, ErrorCode.INVALID_REQUEST, "Method not allowed");
        }
    }

    private void post(HttpServerExchange exchange, View view, Identity caller) throws IOException, InterruptedException {
        Accept accept = acceptOfPost(exchange);
        post(exchange, view, caller, accept, HttpExchanges.readJson(exchange, config.maxRequestBytes()));
    }

    private static Accept acceptOfPost(HttpServerExchange exchange) {
        Accept accept = Accept.of(exchange.getRequestHeaders().getFirst(Headers.ACCEPT));
        if (!accept.json() && !accept.eventStream()) {
            throw new HttpProblem(406, ErrorCode.INVALID_REQUEST, "Accept must include application/json and text/event-stream");
        }
        return accept;
    }

    private void post(HttpServerExchange exchange, View view, Identity caller, Accept accept, JsonNode body) throws IOException, InterruptedException {
        if (ModernHttp.classifies(exchange, body)) {
            modern.serve(exchange, view, caller, accept, (ObjectNode) body, traceContext(exchange));
            return;
        }
        if (body instanceof ArrayNode batch) {
            postBatch(exchange, view, caller, batch);
            return;
        }
        if (body == null || JsonRpc.kind(body) == JsonRpc.Kind.INVALID) {
            throw new HttpProblem(ErrorCode.INVALID_REQUEST, "Invalid Request: not a JSON-RPC 2.0 message");
        }
        ObjectNode message = (ObjectNode) body;
        try {
            postMessage(exchange, view, caller, accept, message);
        } catch (HttpProblem refused) {
            throw refused.forRequest(JsonRpc.idToEcho(message));
        }
    }

    /** One posted JSON-RPC message: a refusal on its way is thrown, and answers it. */
    private void postMessage(HttpServerExchange exchange, View view, Identity caller, Accept accept, ObjectNode message)
            throws InterruptedException {
        if (JsonRpc.kind(message) == JsonRpc.Kind.REQUEST && "initialize".equals(message.path("method").asText())) {
            initialize(exchange, view, caller, message);
            return;
        }
        ClientSession session = session(exchange, view, caller, message);
        if (JsonRpc.kind(message) != JsonRpc.Kind.REQUEST) {
            dispatcher.accept(session, message);
            exchange.setStatusCode(202);
            return;
        }
        Started started = start(exchange, session, accept, message, false);
        if (started.mayAnswerJson() && started.outlet().answersAlone(started.answer())) {
            HttpExchanges.respondWithJson(exchange, 200, started.answer().join());
            return;
        }
        stream(exchange, started);
    }

    /** A client's request under way: where what comes before its answer goes, and the answer. */
    private record Started(ClientSession session, ClientCall call, PostOutlet outlet, CompletableFuture<ObjectNode> answer,
            boolean mayAnswerJson) {}

    /** Starts the request's call; {@code onIoThread} when it is served on the I/O thread that read it. */
    private Started start(HttpServerExchange exchange, ClientSession session, Accept accept, ObjectNode request, boolean onIoThread) {
        PostOutlet outlet = new PostOutlet(session, accept.eventStream());
        ClientCall call = session.startCall(request.get("id"), outlet);
        CompletableFuture<ObjectNode> answer = dispatcher.handle(call, request, traceContext(exchange), onIoThread);
        // A client that asked for progress gets the stream at once: its priming event makes a long call resumable.
        boolean streamAtOnce = accept.eventStream() && request.path("params").path("_meta").has("progressToken");
        return new Started(session, call, outlet, answer, accept.json() && !streamAtOnce);
    }

    /** Answers on an SSE stream, with what goes before the answer; blocks until the stream ends. */
    private void stream(HttpServerExchange exchange, Started started) throws InterruptedException {
        SseChannel channel = HttpExchanges.openEventStream(exchange);
        SseStream stream = streams.of(started.session()).openStream();
        stream.attach(channel, primes(started.session()), RETRY_MILLIS);
        started.outlet().streamTo(stream);
        started.answer().whenComplete((response, error) -> {
            if (!started.call().cancelledByClient()) {
                stream.emit(JsonRpc.write(response));
            }
            stream.finish();
        });
        channel.pump(KEEP_ALIVE_MILLIS);
    }

    private void postBatch(HttpServerExchange exchange, View view, Identity caller, ArrayNode batch) throws IOException {
        ClientSession session = session(exchange, view, caller, MissingNode.getInstance());
        if (session.protocolVersion().compareTo(FIRST_BATCHLESS_VERSION) >= 0) {
            throw new HttpProblem(ErrorCode.INVALID_REQUEST,
                    "JSON-RPC batches are not supported in protocol revision " + session.protocolVersion());
        }
        if (batch.isEmpty()) {
            throw new HttpProblem(ErrorCode.INVALID_REQUEST, "Invalid Request: empty batch");
        }
        List<CompletableFuture<ObjectNode>> answers = new ArrayList<>();
        Context traced = traceContext(exchange);
        for (JsonNode message : batch) {
            switch (JsonRpc.kind(message)) {
                case REQUEST -> answers.add(dispatcher.handle(session.startCall(message.get("id"), session::sendUnsolicited), (ObjectNode) message,
                        traced, false));
                case NOTIFICATION, RESPONSE -> dispatcher.accept(session, (ObjectNode) message);
                case INVALID -> answers.add(CompletableFuture.completedFuture(JsonRpc.error(JsonRpc.idToEcho(message),
                        ErrorCode.INVALID_REQUEST.code(), "Invalid Request")));
            }
        }
        if (answers.isEmpty()) {
            exchange.setStatusCode(202);
            return;
        }
        ArrayNode responses = JsonRpc.MAPPER.createArrayNode();
        answers.forEach(answer -> responses.add(answer.join()));
        HttpExchanges.respondWithJson(exchange, 200, responses);
    }

    private void initialize(HttpServerExchange exchange, View view, Identity caller, ObjectNode request) {
        JsonNode params = request.path("params");
        if (config.stateless()) {
            ObjectNode result = HttpExchanges.admitted(() -> opener.describe(view, caller, params, ProtocolVersions.STREAMABLE_HTTP));
            HttpExchanges.respondWithJson(exchange, 200, JsonRpc.result(request.get("id"), result));
            return;
        }
        SessionStreams opening = streams.create();
        SessionOpener.Opened opened = HttpExchanges.admitted(
                () -> opener.open(view, caller, params, ProtocolVersions.STREAMABLE_HTTP, opening::sendUnsolicited));
        streams.keep(opened.session(), opening);
        exchange.getResponseHeaders().put(SESSION_ID, opened.session().id());
        ObjectNode answer = JsonRpc.result(request.get("id"), opened.result());
        if (exchange.isInIoThread()) {
            // the exchange was dispatched; Undertow's non-blocking sender may write from the thread that wrote the journal
            opened.recorded().thenRun(() -> HttpExchanges.respondWithJson(exchange, 200, answer));
        } else {
            opened.recorded().join();
            HttpExchanges.respondWithJson(exchange, 200, answer);
        }
    }

    /** The session of {@code message}, with the client capabilities its {@code _meta} may carry (stateless mode keeps them). */
    private ClientSession session(HttpServerExchange exchange, View view, Identity caller, ObjectNode message) {
        return session(exchange, view, caller, message.path("params").path("_meta").path(ModernMeta.CLIENT_CAPABILITIES));
    }

    /**
     * The request's session: it must exist at this endpoint and belong to the caller. A session id alone is no
     * credential: another principal presenting it is told the session does not exist. In {@code server.stateless}
     * mode it is the request's own, with the client capabilities the request carries in {@code _meta}, if any.
     */
    private ClientSession session(HttpServerExchange exchange, View view, Identity caller, JsonNode capabilities) {
        String version = exchange.getRequestHeaders().getFirst(PROTOCOL_VERSION);
        if (version != null && !ProtocolVersions.STREAMABLE_HTTP.contains(version)) {
            throw new HttpProblem(ErrorCode.INVALID_REQUEST, "Unsupported MCP-Protocol-Version: " + ClientText.excerpt(version)
                    + " (supported: " + String.join(", ", ProtocolVersions.STREAMABLE_HTTP) + ")");
        }
        if (config.stateless()) {
            Sessionless client = Sessionless.legacy(version == null ? DEFAULT_PROTOCOL_VERSION : version,
                    capabilities.isObject() ? capabilities : MissingNode.getInstance());
            return HttpExchanges.admitted(() -> opener.ephemeral(view, caller, client));
        }
        String id = exchange.getRequestHeaders().getFirst(SESSION_ID);
        if (id == null) {
            throw new HttpProblem(ErrorCode.INVALID_REQUEST, "Missing Mcp-Session-Id header (initialize first)");
        }
        ClientSession session = sessions.get(id)
                .orElseThrow(() -> new HttpProblem(404, ErrorCode.INVALID_REQUEST, "Session not found (it ended or expired; initialize again)"));
        if (!session.view().sameEndpoint(view)) {
            throw new HttpProblem(404, ErrorCode.INVALID_REQUEST, "Session not found at this endpoint");
        }
        if (!authenticator.owns(session.principal(), caller, session.id())) {
            throw new HttpProblem(404, ErrorCode.INVALID_REQUEST, "Session not found at this endpoint");
        }
        return session;
    }

    private void get(HttpServerExchange exchange, View view, Identity caller) throws InterruptedException {
        if (!Accept.of(exchange.getRequestHeaders().getFirst(Headers.ACCEPT)).eventStream()) {
            throw new HttpProblem(406, ErrorCode.INVALID_REQUEST, "Accept must include text/event-stream");
        }
        if (config.stateless()) {
            exchange.getResponseHeaders().put(Headers.ALLOW, "POST");
            throw new HttpProblem(405, ErrorCode.INVALID_REQUEST, "No server stream in stateless mode");
        }
        ClientSession session = session(exchange, view, caller, MissingNode.getInstance());
        SessionStreams own = streams.of(session);
        if (!own.openGetStream(config.maxStreamsPerSession())) {
            throw new HttpProblem(409, ErrorCode.INVALID_REQUEST, "Conflict: the session has its " + config.maxStreamsPerSession()
                    + " GET streams open (server.maxStreamsPerSession); close one first");
        }
        try {
            SseChannel channel = HttpExchanges.openEventStream(exchange);
            String lastEventId = exchange.getRequestHeaders().getFirst(LAST_EVENT_ID);
            SseStream stream = lastEventId == null ? null : own.resume(lastEventId, channel).orElse(null);
            if (stream == null) {
                stream = own.standalone();
                stream.attach(channel, primes(session), RETRY_MILLIS);
            }
            try {
                channel.pump(KEEP_ALIVE_MILLIS);
            } finally {
                stream.detach(channel);
            }
        } finally {
            own.getStreamClosed();
        }
    }

    private void delete(HttpServerExchange exchange, Identity caller) {
        if (config.stateless()) {
            exchange.getResponseHeaders().put(Headers.ALLOW, "POST");
            throw new HttpProblem(405, ErrorCode.INVALID_REQUEST, "No sessions in stateless mode");
        }
        String id = exchange.getRequestHeaders().getFirst(SESSION_ID);
        if (id == null) {
            throw new HttpProblem(ErrorCode.INVALID_REQUEST, "Missing Mcp-Session-Id header");
        }
        boolean owned = sessions.get(id).filter(session -> authenticator.owns(session.principal(), caller, id)).isPresent();
        if (!owned || !sessions.remove(id)) {
            throw new HttpProblem(404, ErrorCode.INVALID_REQUEST, "Session not found");
        }
        exchange.setStatusCode(204);
    }

    private static boolean primes(ClientSession session) {
        return session.protocolVersion().compareTo(FIRST_PRIMING_VERSION) >= 0;
    }
}
