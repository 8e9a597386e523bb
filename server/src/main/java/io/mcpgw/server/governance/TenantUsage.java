package io.mcpgw.server.governance;

import io.mcpgw.server.config.TenantConfig;

/**
 * A tenant as an operator sees it: its rules and what it uses of them now.
 *
 * @param listed false for a tenant let in by {@code unknownTenants: allow}, which has no limits
 * @param sessions sessions open, counted against {@code maxSessions}
 * @param requestsInFlight invocations under way, counted against {@code concurrentRequests}
 */
public record TenantUsage(TenantConfig config, boolean listed, int sessions, int requestsInFlight) {}
