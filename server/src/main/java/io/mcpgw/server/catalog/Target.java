package io.mcpgw.server.catalog;

import io.mcpgw.server.egress.Upstream;

/** Where a namespaced tool or prompt lives: the backend, and its name there. */
public record Target(Upstream backend, String nativeName) {}
