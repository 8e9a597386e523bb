package io.mcpgw.spi.transport;

import java.util.Optional;

/** Receives what a {@link BackendConnection} reads from its backend. */
public interface InboundHandler {

    /** One JSON-RPC message (a response, a notification or a request), as JSON text. */
    void onMessage(String json);

    /** The connection ended; {@code cause} is empty for a close the gateway asked for. Called once. */
    void onClosed(Optional<Throwable> cause);
}
