package io.mcpgw.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether a backend may be called without credentials from the broker. */
public enum CredentialMode {
    /** Calls go out with whatever the providers give, or none. */
    @JsonProperty("optional")
    OPTIONAL,
    /** A call for which no provider has credentials fails, and the backend never sees it. */
    @JsonProperty("required")
    REQUIRED
}
