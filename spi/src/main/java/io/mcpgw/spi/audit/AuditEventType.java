package io.mcpgw.spi.audit;

import java.util.Locale;

/** What an {@link AuditEvent} records. */
public enum AuditEventType {
    SESSION_START,
    SESSION_END,
    POLICY_DECISION,
    INVOCATION_START,
    INVOCATION_COMPLETE,
    INVOCATION_FAILED,
    TOOL_DEFINITION_CHANGED,
    HALTED,
    BACKEND_HEALTH_CHANGED,
    CIRCUIT_STATE_CHANGED,
    /** An operator changed the running gateway: a backend, an agent, a session, a reload. */
    ADMIN_ACTION,
    /** A request's credentials were refused (client or admin listener): who tried, from where, and why. */
    AUTH_FAILED,
    /** The journal passed its disk budget and dropped events a sink had not taken: which sink, how many. */
    AUDIT_OVERFLOW;

    /** The name used on the wire and in stores, e.g. {@code invocation_complete}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
