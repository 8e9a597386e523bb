package io.mcpgw.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What happens to a caller whose tenant is not in {@code tenants:}. */
public enum UnknownTenants {
    /** Refused with 403 at {@code initialize}. */
    @JsonProperty("refuse")
    REFUSE,
    /** Let in with no limits and every grant. */
    @JsonProperty("allow")
    ALLOW
}
