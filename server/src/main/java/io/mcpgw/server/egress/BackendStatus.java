package io.mcpgw.server.egress;

/**
 * Where a backend stands.
 *
 * @param detail the server's name and version once up, the reason once failed
 */
public record BackendStatus(State state, String detail) {

    public enum State {
        /** Not tried yet, or its first connection is being opened. */
        STARTING,
        /** Answered {@code initialize}, and its pings. */
        UP,
        /** Served, but its pings are answered slowly or not every time. */
        DEGRADED,
        /** Connected, but its pings go unanswered: left out of every list until it answers again. */
        UNAVAILABLE,
        /** Could not be started or did not answer; the gateway serves without it. */
        FAILED,
        /** Held back by an operator: new calls are refused while those in flight finish, then it is stopped. */
        DRAINING,
        /** Stopped by an operator (or {@code enabled: false}): configured, left out, not connected. */
        DISABLED
    }

    static final BackendStatus STARTING = new BackendStatus(State.STARTING, "");
    static final BackendStatus DRAINING = new BackendStatus(State.DRAINING, "new calls are refused while those in flight finish");
    static final BackendStatus DISABLED = new BackendStatus(State.DISABLED, "disabled by an operator");

    /** Whether an operator holds the backend back. */
    boolean heldBack() {
        return state == State.DRAINING || state == State.DISABLED;
    }
}
