package io.mcpgw.server.egress;

/**
 * Whose calls a backend session serves, by the backend's {@code isolation}: every client's and the gateway's own
 * (the pool), one tenant's, or one client session's. Connections of different scopes never serve the same call,
 * and what a connection says on its own goes to its scope's sessions alone.
 */
public sealed interface BackendScope {

    /** The pool: the gateway's own requests, and with {@code isolation: shared} every client's. */
    BackendScope SHARED = new Shared();

    /** See {@link #SHARED}. */
    record Shared() implements BackendScope {}

    /** The sessions of one tenant, under {@code tenant} isolation. */
    record OneTenant(String tenant) implements BackendScope {}

    /**
     * One client session of a tenant, under {@code session} isolation. Requests outside any session
     * ({@code server.stateless}) all have the empty id, so they share one per tenant.
     */
    record OneSession(String tenant, String sessionId) implements BackendScope {}
}
