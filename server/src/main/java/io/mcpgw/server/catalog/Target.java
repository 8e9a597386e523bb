package io.mcpgw.server.catalog;

import io.mcpgw.server.egress.Backend;

/** Where a namespaced tool or prompt lives: the backend, and its name there. */
public record Target(Backend backend, String nativeName) {}
