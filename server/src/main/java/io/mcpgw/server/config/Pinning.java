package io.mcpgw.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a backend's changed tool definition does, once the first one seen is pinned. */
public enum Pinning {
    /** Nothing is pinned or checked. */
    @JsonProperty("off")
    OFF,
    /** The changed tool is served; the change is logged and audited. */
    @JsonProperty("warn")
    WARN,
    /** The changed tool is hidden and refused until an operator approves its new definition. */
    @JsonProperty("enforce")
    ENFORCE
}
