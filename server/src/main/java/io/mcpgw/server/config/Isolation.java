package io.mcpgw.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Which client sessions share a backend session: what a backend keeps per session (roots, subscriptions, log level). */
public enum Isolation {
    /** One backend session per client session, opened on its first use of the backend and ended with it. */
    @JsonProperty("session")
    SESSION,
    /** One backend session per tenant, ended when the tenant's last session using it ends. */
    @JsonProperty("tenant")
    TENANT,
    /** Every client session shares the gateway's connections: only for backends that keep no per-session state. */
    @JsonProperty("shared")
    SHARED;

    /** {@code tenant} for {@code stdio} (a process per tenant), {@code session} for the others (sessions over pooled connections). */
    static Isolation defaultFor(String transport) {
        return "stdio".equals(transport) ? TENANT : SESSION;
    }
}
