package io.mcpgw.spi.policy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a policy decides on.
 *
 * @param tenant the caller's tenant
 * @param client the calling client
 * @param scopes the caller's scopes
 * @param agent the agent (virtual server) the call came through, if any
 * @param backend the backend id
 * @param method the MCP method, e.g. {@code tools/call} or {@code resources/read}
 * @param target the native name of the tool or prompt, or the URI of the resource, at the backend
 * @param namespacedTarget the name the client used, e.g. {@code demo__echo} (the URI for resources)
 * @param arguments the call's arguments as plain Java values (maps, lists, strings, numbers, booleans, nulls)
 * @param counters live counters at the time of the call
 */
public record PolicyInput(
        String tenant,
        String client,
        Set<String> scopes,
        Optional<String> agent,
        String backend,
        String method,
        String target,
        String namespacedTarget,
        Map<String, Object> arguments,
        Counters counters) {

    public PolicyInput {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(client, "client");
        scopes = Set.copyOf(scopes);
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(namespacedTarget, "namespacedTarget");
        arguments = Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
        Objects.requireNonNull(counters, "counters");
    }

    /**
     * Live counters.
     *
     * @param sessionCalls tool calls made in this client session so far, this one excluded
     * @param sessionInFlight calls of this session in flight, this one excluded
     * @param tenantInFlight calls of this tenant in flight, this one excluded
     * @param sessionAgeMillis how long the session has existed
     */
    public record Counters(long sessionCalls, int sessionInFlight, int tenantInFlight, long sessionAgeMillis) {}
}
