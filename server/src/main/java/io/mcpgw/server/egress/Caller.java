package io.mcpgw.server.egress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.jsonrpc.JsonRpc;

/**
 * On whose behalf a request goes to a backend. A backend's requests to a client (sampling, elicitation, roots)
 * carry nothing that says which of the calls in flight raised them, so the gateway makes that certain: the calls of
 * a session whose client can be asked things run on a connection no other session uses at the time. What a backend
 * sends on its own is then attributed to a caller ({@link BackendClient#attributedCaller}): the layers above reach its
 * client through {@link #deliver}, and its session by {@link #sessionId}.
 */
public interface Caller {

    /** The gateway's own requests (discovery, subscriptions): they need no client. */
    Caller GATEWAY = new Caller() {
        @Override
        public Session session() {
            return null;
        }

        @Override
        public String sessionId() {
            return "";
        }

        @Override
        public String tenant() {
            return null;
        }

        @Override
        public boolean exclusive() {
            return false;
        }

        /** Nothing is attributed to the gateway's own requests: there is no client to tell. */
        @Override
        public void deliver(ObjectNode message) {
        }
    };

    /**
     * A client session, as egress tells callers apart: by identity. Egress asks nothing of it; the session layer's
     * {@code ClientSession} is one.
     */
    interface Session {}

    /** The client session the call belongs to (compared by identity); null for {@link #GATEWAY}. */
    Session session();

    /** The session's id; empty for {@link #GATEWAY} and for a request outside any session ({@code server.stateless}). */
    String sessionId();

    /** The tenant the session belongs to; null for {@link #GATEWAY}. */
    String tenant();

    /**
     * The capabilities the caller's client declared (at {@code initialize}, or in the request's {@code _meta}): a modern
     * backend gets those the gateway honours with every request (see {@link BackendMeta}). None for {@link #GATEWAY}.
     */
    default JsonNode clientCapabilities() {
        return JsonRpc.MAPPER.createObjectNode();
    }

    /** Whether this caller's client may be asked things, so its calls need a connection leased to its session. */
    boolean exclusive();

    /**
     * Hands the caller's client a message a backend sent about its request or on its own (progress, a log message, a
     * request to the client): with the request's answer while the request is served, else where the session's
     * unsolicited messages go; nothing once the session has ended, nor what the client asked not to see.
     */
    void deliver(ObjectNode message);
}
