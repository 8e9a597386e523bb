package io.mcpgw.server.egress;

/**
 * On whose behalf a request goes to a backend. A backend's requests to a client (sampling, elicitation, roots)
 * carry nothing that says which of the calls in flight raised them, so the gateway makes that certain: the calls of
 * a session whose client can be asked things run on a connection no other session uses at the time.
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

    /** Whether this caller's client may be asked things, so its calls need a connection leased to its session. */
    boolean exclusive();
}
