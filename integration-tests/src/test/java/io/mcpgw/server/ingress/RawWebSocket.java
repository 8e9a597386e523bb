package io.mcpgw.server.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real WebSocket client ({@code java.net.http}) that sends text frames and queues what arrives, for raw protocol tests. */
public final class RawWebSocket implements WebSocket.Listener, AutoCloseable {

    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder frame = new StringBuilder();
    private final WebSocket socket;

    private RawWebSocket(URI uri, String... headers) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("mcp");
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        this.socket = builder.buildAsync(uri, this).join();
    }

    /** Connects with subprotocol {@code mcp} and the given extra headers; fails as {@code buildAsync} does. */
    public static RawWebSocket connect(URI uri, String... headers) {
        return new RawWebSocket(uri, headers);
    }

    String subprotocol() {
        return socket.getSubprotocol();
    }

    public void send(String text) {
        socket.sendText(text, true).join();
    }

    void sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    /** The next message, or null after {@code timeout}. */
    public JsonNode next(Duration timeout) throws InterruptedException, IOException {
        String text = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return text == null ? null : JsonRpc.MAPPER.readTree(text);
    }

    /** The next message, which must come within ten seconds. */
    public JsonNode next() throws InterruptedException, IOException {
        JsonNode message = next(Duration.ofSeconds(10));
        if (message == null) {
            throw new AssertionError("no message within 10 s");
        }
        return message;
    }

    /** The close code the server sent, once it closed the socket. */
    CompletableFuture<Integer> closed() {
        return closed;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        frame.append(data);
        if (last) {
            received.add(frame.toString());
            frame.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }

    @Override
    public void close() {
        // After the server's close frame the client has already answered it, so this may find the output closed.
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").exceptionally(error -> socket).join();
    }
}
