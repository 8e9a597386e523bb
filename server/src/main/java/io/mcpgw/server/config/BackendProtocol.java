package io.mcpgw.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Which era of MCP the gateway speaks to a backend: found by probing ({@code auto}), or fixed by the operator.
 * Modern is 2026-07-28 (no handshake, the version and capabilities in every request's {@code _meta}); legacy is
 * 2025-11-25 and earlier ({@code initialize}, a session).
 */
public enum BackendProtocol {
    /** Probe as the spec's backward-compatibility rules say, remember the answer, probe again when it stops holding. */
    @JsonProperty("auto")
    AUTO,
    /** 2026-07-28 only: a backend that refuses it is unavailable. */
    @JsonProperty("modern")
    MODERN,
    /** The {@code initialize} handshake only, as before the probe existed. */
    @JsonProperty("legacy")
    LEGACY;

    /** {@code legacy} for the 2024-11-05 {@code sse} transport (it has no modern era), {@code auto} for the others. */
    static BackendProtocol defaultFor(String transport) {
        return "sse".equals(transport) ? LEGACY : AUTO;
    }
}
