package io.mcpgw.server.ingress;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.catalog.View;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.http.HttpProblem;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.server.mcp.ListenOpener;
import io.mcpgw.server.session.Listeners;
import io.mcpgw.server.session.Sessionless;
import io.mcpgw.spi.identity.Identity;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@code subscriptions/listen} request (MCP 2026-07-28) on the Streamable HTTP endpoints: its one long-lived SSE
 * response carries the acknowledgement, then the notifications the client opted in to, and a keep-alive comment
 * every {@code server.listenKeepAlive}. The client closing it ends the listener (its subscriptions at backends are
 * undone); the gateway ending it (a stop) sends the request's response first, as the spec's graceful closure says.
 * Runs on a virtual thread, and blocks while the stream is open.
 */
@Singleton
final class ModernListen {

    private static final HttpString ACCEL_BUFFERING = new HttpString("X-Accel-Buffering");

    private final ListenOpener opener;
    private final Listeners listeners;
    private final long keepAliveMillis;

    @Inject
    ModernListen(ListenOpener opener, Listeners listeners, McpgwConfig config) {
        this.opener = opener;
        this.listeners = listeners;
        this.keepAliveMillis = config.server().listenKeepAlive().toMillis();
    }

    /**
     * Serves the listen request {@code message} of {@code client}; refusals before the stream opens throw a
     * {@link io.mcpgw.server.jsonrpc.GatewayException}.
     */
    void serve(HttpServerExchange exchange, View endpoint, Identity caller, Sessionless client, Accept accept, ObjectNode message)
            throws InterruptedException {
        if (!accept.eventStream()) {
            throw new HttpProblem(406, ErrorCode.INVALID_REQUEST, "subscriptions/listen answers with a stream: Accept must include text/event-stream")
                    .forRequest(message.get("id"));
        }
        ListenOpener.Opened opened = opener.open(endpoint, caller, client, message.get("id"), message.path("params"));
        AtomicBoolean clientGone = new AtomicBoolean();
        SseChannel channel;
        try {
            exchange.getResponseHeaders().put(ACCEL_BUFFERING, "no");
            channel = HttpExchanges.openEventStream(exchange);
        } catch (RuntimeException failed) {
            listeners.close(opened.listener());
            throw failed;
        }
        opened.start(notification -> channel.message(JsonRpc.write(notification)));
        opened.listener().onClose(() -> {
            if (!clientGone.get()) {
                channel.message(JsonRpc.write(opened.ended()));
            }
            channel.close();
        });
        try {
            channel.pump(keepAliveMillis);
        } finally {
            clientGone.set(true);
            listeners.close(opened.listener());
        }
    }
}
