package io.mcpgw.server.egress;

/**
 * The era of MCP a backend connection speaks. Modern (2026-07-28): no handshake and no session, the protocol version,
 * client capabilities and client identity in every request's {@code _meta}. Legacy (2025-11-25 and earlier): the
 * {@code initialize} handshake and a session.
 */
public enum Era {
    MODERN,
    LEGACY
}
