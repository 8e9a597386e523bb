package io.mcpgw.spi.transport;

import java.io.IOException;

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

    /** Whether the connection can still send. */
    boolean isOpen();

    /** Ends the connection and whatever runs behind it (e.g. the child process and its group). Idempotent. */
    @Override
    void close();
}
