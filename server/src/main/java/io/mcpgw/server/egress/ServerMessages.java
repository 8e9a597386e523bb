package io.mcpgw.server.egress;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.JsonRpc;

/** Receives what backends send that is for clients: requests (sampling, elicitation, roots) and notifications. */
public interface ServerMessages {

    /** Refuses every request and drops every notification: what a gateway with no relay does. */
    ServerMessages NONE = new ServerMessages() {
        @Override
        public void onRequest(Upstream upstream, BackendClient client, ObjectNode request) {
            client.send(JsonRpc.error(request.get("id"), ErrorCode.METHOD_NOT_FOUND.code(),
                    "no client can answer " + request.path("method").asText()));
        }

        @Override
        public void onNotification(Upstream upstream, BackendClient client, ObjectNode notification) {}

        @Override
        public void onOpened(Upstream upstream, BackendClient client) {}

        @Override
        public void onClosed(BackendClient client) {}
    };

    /** A request for a client; the backend session {@code client} takes the answer, with the request's own id. Must not block. */
    void onRequest(Upstream upstream, BackendClient client, ObjectNode request);

    /** A notification that is not about the backend's own lists. Must not block. */
    void onNotification(Upstream upstream, BackendClient client, ObjectNode notification);

    /** A new connection is initialized. Must not block. */
    void onOpened(Upstream upstream, BackendClient client);

    /** The connection ended: requests it made of clients can no longer be answered. */
    void onClosed(BackendClient client);
}
