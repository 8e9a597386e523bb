package io.mcpgw.server.egress;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.JsonRpc;

/** Receives what backends send that is for clients: requests (sampling, elicitation, roots) and notifications. */
public interface ServerMessages {

    /** Refuses every request and drops every notification: what a gateway with no relay does. */
    ServerMessages NONE = new ServerMessages() {
        @Override
        public void onRequest(Backend backend, BackendLink link, ObjectNode request) {
            link.send(JsonRpc.error(request.get("id"), ErrorCode.METHOD_NOT_FOUND.code(),
                    "no client can answer " + request.path("method").asText()));
        }

        @Override
        public void onNotification(Backend backend, BackendLink link, ObjectNode notification) {}

        @Override
        public void onOpened(Backend backend, BackendLink link) {}

        @Override
        public void onClosed(BackendLink link) {}
    };

    /** A request for a client; {@code link} takes the answer, with the request's own id. Must not block. */
    void onRequest(Backend backend, BackendLink link, ObjectNode request);

    /** A notification that is not about the backend's own lists. Must not block. */
    void onNotification(Backend backend, BackendLink link, ObjectNode notification);

    /** A new connection is initialized. Must not block. */
    void onOpened(Backend backend, BackendLink link);

    /** The connection ended: requests it made of clients can no longer be answered. */
    void onClosed(BackendLink link);
}
