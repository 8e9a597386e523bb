package io.mcpgw.spi.transport;

import java.io.IOException;

/**
 * Opens JSON-RPC connections to one configured backend. The gateway owns the MCP conversation (initialize, id
 * remapping, timeouts); a transport only moves whole JSON-RPC messages, as JSON text, in both directions.
 */
public interface BackendTransport extends AutoCloseable {

    /**
     * Opens a connection. Returns once messages can be sent; every message the backend sends afterwards
     * (responses, notifications, requests to the client) goes to {@code inbound}, in the order received.
     *
     * @throws IOException when the backend cannot be reached or started
     */
    BackendConnection open(ConnectionRequest request, InboundHandler inbound) throws IOException;

    /**
     * How many connections the gateway may open to this backend and spread calls over, e.g. the number of
     * processes of a stdio backend. Each connection is initialized on its own; JSON-RPC ids are multiplexed over it.
     */
    default int maxConnections() {
        return 1;
    }

    /**
     * How many connections may be open at once in all when client sessions or tenants each get their own (a
     * backend's {@code isolation}): a stdio backend's processes. No limit by default, as for sessions over HTTP,
     * whose sockets are pooled.
     */
    default int maxIsolatedConnections() {
        return Integer.MAX_VALUE;
    }

    /** Releases what the transport holds across connections (e.g. an HTTP client). */
    @Override
    default void close() {}
}
