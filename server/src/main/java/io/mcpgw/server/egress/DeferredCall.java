package io.mcpgw.server.egress;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import java.util.concurrent.CompletableFuture;

/**
 * A call whose request is sent later, or again, on another thread: its answer is the answer of the call
 * {@linkplain #attach attached} to it; a cancellation goes to the call in flight for it, or ends it at once when
 * none is yet.
 */
final class DeferredCall implements BackendCall {

    private final CompletableFuture<ObjectNode> response = new CompletableFuture<>();
    private BackendCall attached;
    private String cancelled;

    @Override
    public CompletableFuture<ObjectNode> response() {
        return response;
    }

    /** The call now in flight for this one: a cancellation goes to it, its answer not yet (see {@link #attach}). */
    void sending(BackendCall call) {
        String reason;
        synchronized (this) {
            attached = call;
            reason = cancelled;
        }
        if (reason != null) {
            call.cancel(reason);
        }
    }

    /** From now on this call is {@code call}, its answer included. */
    void attach(BackendCall call) {
        sending(call);
        call.response().whenComplete((answer, error) -> {
            if (error != null) {
                response.completeExceptionally(error);
            } else {
                response.complete(answer);
            }
        });
    }

    /** Whether the call was cancelled, so nothing more need be sent. */
    synchronized boolean cancelled() {
        return cancelled != null;
    }

    @Override
    public void cancel(String reason) {
        BackendCall call;
        synchronized (this) {
            cancelled = reason;
            call = attached;
        }
        if (call != null) {
            call.cancel(reason);
        }
        response.completeExceptionally(new GatewayException(ErrorCode.REQUEST_CANCELLED, reason));
    }
}
