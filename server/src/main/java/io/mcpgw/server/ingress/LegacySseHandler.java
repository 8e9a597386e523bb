package io.mcpgw.server.ingress;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.catalog.View;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.http.HttpProblem;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.server.session.SessionIds;
import io.mcpgw.spi.identity.Identity;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.io.IOException;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The 2024-11-05 HTTP+SSE transport, for clients that predate Streamable HTTP, at {@code /sse} and
 * {@code /servers/<id>/sse}. {@code GET} opens the stream, whose first event names where to POST messages
 * ({@code .../message?sessionId=...}); each POST gets 202, and every answer comes back on the stream. The
 * stream is the session: when it closes, the session ends.
 */
@Singleton
public final class LegacySseHandler implements HttpHandler {

    private static final long KEEP_ALIVE_MILLIS = 15_000;

    private final Endpoints endpoints;
    private final Authenticator authenticator;
    private final DuplexSessions duplexSessions;
    private final int maxRequestBytes;
    private final Map<String, Stream> streams = new ConcurrentHashMap<>();

    private record Stream(View view, DuplexSession session) {}

    @Inject
    LegacySseHandler(McpgwConfig config, Endpoints endpoints, Authenticator authenticator, DuplexSessions duplexSessions) {
        this.endpoints = endpoints;
        this.authenticator = authenticator;
        this.duplexSessions = duplexSessions;
        this.maxRequestBytes = config.server().maxRequestBytes();
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        HttpExchanges.serveBlocking(exchange, this, this::serve);
    }

    private void serve(HttpServerExchange exchange) throws IOException, InterruptedException {
        if (exchange.getRequestPath().endsWith("/sse")) {
            Endpoints.Admission admitted = endpoints.admit(exchange, "sse");
            requireMethod(exchange, Methods.GET);
            stream(exchange, admitted.view(), admitted.caller());
        } else {
            Endpoints.Admission admitted = endpoints.admit(exchange, "message");
            requireMethod(exchange, Methods.POST);
            post(exchange, admitted.view(), admitted.caller());
        }
    }

    private void stream(HttpServerExchange exchange, View view, Identity caller) throws InterruptedException {
        if (!Accept.of(exchange.getRequestHeaders().getFirst(Headers.ACCEPT)).eventStream()) {
            throw new HttpProblem(406, ErrorCode.INVALID_REQUEST, "Accept must include text/event-stream");
        }
        String id = SessionIds.next();
        SseChannel channel = HttpExchanges.openEventStream(exchange);
        DuplexSession session = duplexSessions.open(view, caller, new DuplexSession.Channel() {
            @Override
            public void send(ObjectNode message) {
                channel.message(JsonRpc.write(message));
            }

            @Override
            public void close() {
                channel.close();
            }
        });
        streams.put(id, new Stream(view, session));
        try {
            channel.endpoint(Endpoints.sibling(exchange.getRequestPath(), "sse", "message") + "?sessionId=" + id);
            channel.pump(KEEP_ALIVE_MILLIS);
        } finally {
            streams.remove(id);
            session.end();
        }
    }

    private void post(HttpServerExchange exchange, View view, Identity caller) throws IOException {
        String id = Optional.ofNullable(exchange.getQueryParameters().get("sessionId")).map(Deque::peekFirst).orElse(null);
        if (id == null) {
            throw new HttpProblem(ErrorCode.INVALID_REQUEST, "Missing sessionId query parameter (open GET /sse first)");
        }
        Stream stream = streams.get(id);
        if (stream == null || !stream.view().equals(view) || !authenticator.owns(stream.session().principal(), caller, id)) {
            throw new HttpProblem(404, ErrorCode.INVALID_REQUEST, "Session not found (its stream closed; open GET /sse again)");
        }
        stream.session().receive(HttpExchanges.readJson(exchange, maxRequestBytes));
        exchange.setStatusCode(202);
    }

    private static void requireMethod(HttpServerExchange exchange, HttpString method) {
        if (!exchange.getRequestMethod().equals(method)) {
            exchange.getResponseHeaders().put(Headers.ALLOW, method.toString());
            throw new HttpProblem(405, ErrorCode.INVALID_REQUEST, "Method not allowed");
        }
    }
}
