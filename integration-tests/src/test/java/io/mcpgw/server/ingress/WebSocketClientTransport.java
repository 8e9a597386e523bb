package io.mcpgw.server.ingress;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * The SDK client over a real WebSocket ({@code java.net.http}), in MCP's WebSocket binding: subprotocol {@code mcp},
 * one JSON-RPC message per text frame. The Java SDK ships no WebSocket transport, so this one carries the SDK's
 * messages as they are, and the SDK does everything else.
 */
public final class WebSocketClientTransport implements McpClientTransport {

    private final URI uri;
    private final HttpClient http;
    private final McpJsonMapper json = McpJsonDefaults.getMapper();
    private final Object sending = new Object();
    private final CompletableFuture<WebSocket> opened = new CompletableFuture<>();
    private CompletableFuture<WebSocket> lastSend = opened;

    public WebSocketClientTransport(URI uri) {
        this(uri, HttpClient.newHttpClient());
    }

    /** Over {@code http}'s connections, e.g. one with the TLS a {@code wss:} URI needs. */
    public WebSocketClientTransport(URI uri, HttpClient http) {
        this.uri = uri;
        this.http = http;
    }

    @Override
    public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
        // The SDK sends initialize without waiting for connect; sends wait for the socket instead.
        return Mono.fromFuture(() -> http.newWebSocketBuilder().subprotocols("mcp")
                .buildAsync(uri, new Receiver(handler)).whenComplete((socket, error) -> {
                    if (error != null) {
                        opened.completeExceptionally(error);
                    } else {
                        opened.complete(socket);
                    }
                })).then();
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        return Mono.fromFuture(() -> {
            String text;
            try {
                text = json.writeValueAsString(message);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            synchronized (sending) {
                // java.net.http allows one outstanding send at a time: each waits for the one before.
                lastSend = lastSend.thenCompose(open -> open.sendText(text, true));
                return lastSend;
            }
        }).then();
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(() -> opened.thenAccept(socket -> {
            if (!socket.isOutputClosed()) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
            }
        }));
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> type) {
        return json.convertValue(data, type);
    }

    @Override
    public List<String> protocolVersions() {
        return List.of("2025-11-25", "2025-06-18", "2025-03-26");
    }

    private final class Receiver implements WebSocket.Listener {

        private final Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler;
        private final StringBuilder frame = new StringBuilder();

        Receiver(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
            this.handler = handler;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            frame.append(data);
            if (last) {
                String text = frame.toString();
                frame.setLength(0);
                try {
                    handler.apply(Mono.just(McpSchema.deserializeJsonRpcMessage(json, text))).subscribe();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
