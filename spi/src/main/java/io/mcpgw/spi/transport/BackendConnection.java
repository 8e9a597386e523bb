package io.mcpgw.spi.transport;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** An open JSON-RPC connection to a backend. Safe to send on from many threads. */
public interface BackendConnection extends AutoCloseable {

    /**
     * Sends one JSON-RPC message (JSON text, no framing). Returns once the message is handed to the backend
     * (written to the pipe, or accepted by the HTTP server).
     *
     * @throws NotDeliveredException when the message provably did not reach the backend (it is sent again elsewhere)
     * @throws IOException when the connection broke and the message may or may not have arrived
     */
    void send(String json) throws IOException;

    /**
     * Sends one message without waiting for the backend: the stage completes when {@link #send} would return, or
     * fails with what it would throw. The default sends on the calling thread.
     */
    default CompletionStage<Void> sendAsync(String json) {
        try {
            send(json);
            return CompletableFuture.completedFuture(null);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Sends one message with request headers of its own, for a transport that carries headers per message (Streamable
     * HTTP: MCP 2026-07-28 mirrors the method, name and marked tool parameters into {@code Mcp-*} headers). A
     * transport without headers (stdio) sends the message alone: everything is in its body. A transport that carries
     * them also hands back an error answer that comes with an HTTP error status and a JSON-RPC body for the request,
     * as the answer to it.
     */
    default CompletionStage<Void> sendAsync(String json, Map<String, String> headers) {
        return sendAsync(json);
    }

    /**
     * Whether {@link #sendAsync} never blocks the calling thread, so the gateway may call it on a socket I/O thread.
     * The transport then hands back messages on threads of its own where nothing blocks either.
     */
    default boolean sendsWithoutBlocking() {
        return false;
    }

    /** Whether the connection can still send. */
    boolean isOpen();

    /** Ends the connection and whatever runs behind it (e.g. the child process and its group). Idempotent. */
    @Override
    void close();
}
