package io.mcpgw.server.governance;

/** One tenant's live use of its quotas ({@code quotas:}), counted in a {@link QuotaLedger}. */
public interface QuotaAccount {

    /** Takes one of the tenant's session places: false, taking none, when its {@code maxSessions} are open. */
    boolean openSession();

    /** Gives back a place {@link #openSession} took. */
    void closeSession();

    /** Takes one request from its {@code requestsPerMinute}: 0 when taken (or unlimited), else the nanoseconds until one is there. */
    long takeRequest();

    /** Counts an invocation in flight; the count with this one. */
    int startCall();

    /** Ends what {@link #startCall} counted. */
    void endCall();

    int sessions();

    int callsInFlight();
}
