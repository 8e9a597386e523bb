package io.mcpgw.server.config;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One tenant: its quotas, and what it may use.
 *
 * @param id the tenant id identities name
 * @param quotas its limits; absent ones are unlimited
 * @param backends backend id patterns it may use; absent (null) means all, {@code []} none
 * @param tools tool patterns over namespaced names ({@code demo__*}), allow then deny
 * @param agents when given, the tenant may use these agents and nothing else (no {@code /mcp}, no
 *     {@code /servers/<id>/mcp})
 * @param sampling what the tenant's backends may ask of its clients' models
 */
public record TenantConfig(String id, Quotas quotas, List<String> backends, ToolRules tools, List<String> agents,
        SamplingConfig sampling) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    public TenantConfig {
        if (id == null) {
            throw new IllegalArgumentException("id: required value is missing");
        }
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("id: '" + id + "' must match " + ID.pattern());
        }
        quotas = quotas == null ? Quotas.UNLIMITED : quotas;
        backends = backends == null ? null : List.copyOf(backends);
        tools = tools == null ? ToolRules.ALL : tools;
        agents = agents == null ? null : List.copyOf(agents);
        sampling = sampling == null ? SamplingConfig.UNLIMITED : sampling;
    }

    /** Whether the tenant is limited to agents. */
    public boolean onlyAgents() {
        return agents != null;
    }

    /**
     * A tenant's limits; a missing one is unlimited.
     *
     * @param requestsPerMinute invocations per minute, as a token bucket refilled smoothly (one token every
     *     {@code 60s / n}), not a calendar-minute window
     * @param burst how many tokens the bucket holds, i.e. how many invocations may come at once; default
     *     {@code requestsPerMinute}
     * @param concurrentRequests invocations in flight at once
     * @param maxSessions client sessions open at once
     */
    public record Quotas(Integer requestsPerMinute, Integer burst, Integer concurrentRequests, Integer maxSessions) {

        public static final Quotas UNLIMITED = new Quotas(null, null, null, null);

        public Quotas {
            positive("requestsPerMinute", requestsPerMinute);
            positive("burst", burst);
            positive("concurrentRequests", concurrentRequests);
            positive("maxSessions", maxSessions);
            if (burst != null && requestsPerMinute == null) {
                throw new IllegalArgumentException("burst: needs requestsPerMinute");
            }
            burst = burst == null ? requestsPerMinute : burst;
        }

        private static void positive(String key, Integer value) {
            if (value != null && value < 1) {
                throw new IllegalArgumentException(key + ": must be at least 1 (leave it out for no limit)");
            }
        }
    }

    /** The backend id patterns it may use; empty when it may use all. */
    public Optional<List<String>> backendPatterns() {
        return Optional.ofNullable(backends);
    }

    /**
     * Tool patterns over namespaced names: {@code allow} (absent, i.e. null: all; {@code []}: none), then
     * {@code deny}.
     */
    public record ToolRules(List<String> allow, List<String> deny) {

        public static final ToolRules ALL = new ToolRules(null, null);

        public ToolRules {
            allow = allow == null ? null : List.copyOf(allow);
            deny = deny == null ? List.of() : List.copyOf(deny);
        }

        /** The allow patterns; empty when all tools are allowed. */
        public Optional<List<String>> allowPatterns() {
            return Optional.ofNullable(allow);
        }
    }
}
