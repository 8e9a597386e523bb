package io.mcpgw.server.ingress;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.catalog.View;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.http.HttpProblem;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import io.undertow.websockets.core.protocol.version13.Hybi13Handshake;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import org.xnio.IoUtils;
import org.xnio.Options;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.spi.identity.Identity;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * MCP over WebSocket at {@code /ws} and {@code /servers/<id>/ws}: subprotocol {@code mcp}, one JSON-RPC message per
 * text frame, both directions at any time. The handshake is checked like any other request ({@code Origin},
 * {@code Host}, the caller's credentials) before the upgrade; the socket is then the caller's alone. A client that
 * cannot set headers offers its bearer token as a second subprotocol, {@code mcp, bearer.<token>}; the answer names
 * {@code mcp} alone.
 */
@Singleton
public final class WebSocketHandler implements HttpHandler {

    static final String SUBPROTOCOL = "mcp";
    /** A client that lets this many messages pile up unread loses the connection rather than the gateway's memory. */
    private static final int MAX_UNSENT = 10_000;
    private static final AttachmentKey<View> VIEW = AttachmentKey.create(View.class);
    private static final AttachmentKey<Identity> PRINCIPAL = AttachmentKey.create(Identity.class);

    private final Endpoints endpoints;
    private final DuplexSessions duplexSessions;
    private final int maxMessageBytes;
    private final WebSocketProtocolHandshakeHandler handshake =
            new WebSocketProtocolHandshakeHandler(List.of(new Hybi13Handshake(Set.of(SUBPROTOCOL), false)), this::connected);

    @Inject
    WebSocketHandler(McpgwConfig config, Endpoints endpoints, DuplexSessions duplexSessions) {
        this.endpoints = endpoints;
        this.duplexSessions = duplexSessions;
        this.maxMessageBytes = config.server().maxRequestBytes();
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        Endpoints.Admission admitted;
        try {
            admitted = endpoints.admit(exchange, "ws");
        } catch (HttpProblem e) {
            HttpExchanges.refuse(exchange, e);
            return;
        }
        if (!exchange.getRequestMethod().equals(Methods.GET)
                || !"websocket".equalsIgnoreCase(exchange.getRequestHeaders().getFirst(Headers.UPGRADE))) {
            exchange.getResponseHeaders().put(Headers.UPGRADE, "websocket");
            HttpExchanges.fail(exchange, 426, ErrorCode.INVALID_REQUEST, "This endpoint speaks MCP over WebSocket (subprotocol " + SUBPROTOCOL + ")");
            return;
        }
        String protocols = exchange.getRequestHeaders().getFirst(Headers.SEC_WEB_SOCKET_PROTOCOL);
        if (protocols == null || Arrays.stream(protocols.split(",")).map(String::trim).noneMatch(SUBPROTOCOL::equals)) {
            HttpExchanges.refuse(exchange, new HttpProblem(ErrorCode.INVALID_REQUEST, "The WebSocket subprotocol must be " + SUBPROTOCOL));
            return;
        }
        exchange.putAttachment(VIEW, admitted.view());
        exchange.putAttachment(PRINCIPAL, admitted.caller());
        handshake.handleRequest(exchange);
    }

    private void connected(WebSocketHttpExchange exchange, WebSocketChannel socket) {
        try {
            // server.requestIdleTimeout bounds a pause in an HTTP body; an MCP session on a socket may be quiet for long
            socket.setOption(Options.READ_TIMEOUT, 0);
        } catch (IOException e) {
            IoUtils.safeClose(socket);
            return;
        }
        DuplexSession session = duplexSessions.open(exchange.getAttachment(VIEW), exchange.getAttachment(PRINCIPAL), new Outgoing(socket));
        socket.getReceiveSetter().set(new AbstractReceiveListener() {
            @Override
            protected void onFullTextMessage(WebSocketChannel channel, BufferedTextMessage message) {
                session.receive(message.getData());
            }

            @Override
            protected void onFullBinaryMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
                message.getData().free();
                WebSockets.sendClose(CloseMessage.WRONG_CODE, "MCP messages are JSON text frames", channel, null);
            }

            @Override
            protected long getMaxTextBufferSize() {
                return maxMessageBytes;
            }

            @Override
            protected long getMaxBinaryBufferSize() {
                return maxMessageBytes;
            }
        });
        socket.addCloseTask(closed -> session.end());
        socket.resumeReceives();
    }

    /** Sends frames one at a time, whichever thread has a message for the client. */
    private static final class Outgoing implements DuplexSession.Channel, WebSocketCallback<Void> {

        private final WebSocketChannel socket;
        private final ReentrantLock sending = new ReentrantLock();
        private final AtomicInteger unsent = new AtomicInteger();

        Outgoing(WebSocketChannel socket) {
            this.socket = socket;
        }

        @Override
        public void send(ObjectNode message) {
            if (unsent.incrementAndGet() > MAX_UNSENT) {
                IoUtils.safeClose(socket);
                return;
            }
            sending.lock();
            try {
                WebSockets.sendText(JsonRpc.write(message), socket, this);
            } finally {
                sending.unlock();
            }
        }

        @Override
        public void complete(WebSocketChannel channel, Void context) {
            unsent.decrementAndGet();
        }

        @Override
        public void onError(WebSocketChannel channel, Void context, Throwable throwable) {
            unsent.decrementAndGet();
        }

        @Override
        public void close() {
            if (socket.isOpen() && !socket.isCloseFrameSent()) {
                WebSockets.sendClose(CloseMessage.NORMAL_CLOSURE, "the MCP session ended", socket, null);
            }
        }
    }
}
