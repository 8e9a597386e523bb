package io.mcpgw.server.egress;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletableFuture;

/**
 * A request in flight at a backend. The response completes with the backend's whole answer (a result or an error),
 * or fails with a {@link io.mcpgw.server.jsonrpc.GatewayException}: unavailable, timed out, or cancelled (by the
 * client through {@link #cancel}, or by the backend).
 */
public interface BackendCall {

    CompletableFuture<ObjectNode> response();

    /** Tells the backend to stop ({@code notifications/cancelled}) and ends the call without an answer. */
    void cancel(String reason);
}
