package io.mcpgw.server.config;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One backend: the gateway's own keys, and the section its transport validates (every other key).
 *
 * @param id {@code [a-z0-9-]+}; names the backend in namespaced tool names and in {@code /servers/<id>/mcp}
 * @param startupTimeout how long opening a connection, finding its era and its {@code initialize} may take
 * @param requestTimeout how long a request to the backend may take before the caller gets a timeout error
 * @param pinning what a changed tool definition does (default {@code warn})
 * @param credentials whether calls need credentials from the broker (default {@code optional})
 * @param circuitBreaker when calls stop going to a failing backend, and when they try again
 * @param maxConcurrentCalls calls in flight at the backend at once (a bulkhead); past it a call fails at once
 * @param maxSessions client sessions using the backend at once; past it a new session's first call fails at once
 * @param isolation which client sessions share a backend session (default {@code tenant} for stdio, else {@code session})
 * @param health how its connections are probed
 * @param enabled false keeps it configured but stopped, until an operator enables it
 * @param protocol which MCP era the gateway speaks to it (default {@code auto}: probed; {@code legacy} for {@code sse})
 * @param transport the transport's section: {@code type} is the {@code transport:} key
 */
public record BackendConfig(String id, Duration startupTimeout, Duration requestTimeout, Pinning pinning, CredentialMode credentials,
        BreakerConfig circuitBreaker, Integer maxConcurrentCalls, Integer maxSessions, Isolation isolation, HealthConfig health,
        Boolean enabled, BackendProtocol protocol, ExtensionSection transport) {

    /** The keys the gateway reads itself; the transport gets the others. */
    public static final Set<String> GATEWAY_KEYS = Set.of("id", "transport", "startupTimeout", "requestTimeout", "pinning", "credentials",
            "circuitBreaker", "maxConcurrentCalls", "maxSessions", "isolation", "health", "enabled", "protocol");

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]*");

    public BackendConfig {
        if (id == null) {
            throw new IllegalArgumentException("id: required value is missing");
        }
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("id: '" + id + "' must match [a-z0-9][a-z0-9-]* (lower case, digits, '-')");
        }
        startupTimeout = startupTimeout == null ? Duration.ofSeconds(30) : startupTimeout;
        if (startupTimeout.isNegative() || startupTimeout.isZero()) {
            throw new IllegalArgumentException("startupTimeout: must be positive");
        }
        requestTimeout = requestTimeout == null ? Duration.ofSeconds(60) : requestTimeout;
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout: must be positive");
        }
        pinning = pinning == null ? Pinning.WARN : pinning;
        credentials = credentials == null ? CredentialMode.OPTIONAL : credentials;
        circuitBreaker = circuitBreaker == null ? BreakerConfig.DEFAULTS : circuitBreaker;
        health = health == null ? HealthConfig.DEFAULTS : health;
        if (maxConcurrentCalls != null && maxConcurrentCalls < 1) {
            throw new IllegalArgumentException("maxConcurrentCalls: must be at least 1 (leave it out for no limit)");
        }
        if (maxSessions != null && maxSessions < 1) {
            throw new IllegalArgumentException("maxSessions: must be at least 1 (leave it out for no limit)");
        }
        Objects.requireNonNull(transport, "transport");
        isolation = isolation == null ? Isolation.defaultFor(transport.type()) : isolation;
        enabled = enabled == null ? Boolean.TRUE : enabled;
        protocol = protocol == null ? BackendProtocol.defaultFor(transport.type()) : protocol;
        if ("sse".equals(transport.type()) && protocol != BackendProtocol.LEGACY) {
            throw new IllegalArgumentException("protocol: the sse transport (2024-11-05) speaks only legacy MCP; leave protocol out or set legacy");
        }
    }

    @JsonValue
    public ObjectNode toJson() {
        ObjectNode json = transport.settings().objectNode()
                .put("id", id)
                .put("transport", transport.type())
                .put("startupTimeout", Durations.format(startupTimeout))
                .put("requestTimeout", Durations.format(requestTimeout))
                .put("pinning", pinning.name().toLowerCase(Locale.ROOT))
                .put("credentials", credentials.name().toLowerCase(Locale.ROOT));
        json.putObject("circuitBreaker").put("failures", circuitBreaker.failures()).put("openFor", Durations.format(circuitBreaker.openFor()))
                .put("halfOpenProbes", circuitBreaker.halfOpenProbes());
        if (maxConcurrentCalls != null) {
            json.put("maxConcurrentCalls", maxConcurrentCalls);
        }
        if (maxSessions != null) {
            json.put("maxSessions", maxSessions);
        }
        json.put("isolation", isolation.name().toLowerCase(Locale.ROOT));
        json.put("enabled", enabled);
        json.put("protocol", protocol.name().toLowerCase(Locale.ROOT));
        json.putObject("health").put("interval", Durations.format(health.interval())).put("timeout", Durations.format(health.timeout()))
                .put("slowAfter", Durations.format(health.slowAfter())).put("failures", health.failures());
        json.setAll(transport.settings());
        return json;
    }

    /** This backend with {@code enabled} set as given. */
    public BackendConfig withEnabled(boolean on) {
        return new BackendConfig(id, startupTimeout, requestTimeout, pinning, credentials, circuitBreaker, maxConcurrentCalls, maxSessions,
                isolation, health, on, protocol, transport);
    }
}
