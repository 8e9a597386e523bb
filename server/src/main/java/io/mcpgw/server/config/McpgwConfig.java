package io.mcpgw.server.config;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole configuration file. Extension sections ({@code identity}, {@code policy}, {@code credentials},
 * {@code audit}, and each backend's transport) are checked by the extension they name when it is created;
 * {@code identity} is one section, or a list of them asked in turn.
 * Without a {@code tenants:} section there is one tenant, {@code default}, without limits; with one, only the
 * tenants it lists, and {@code unknownTenants} decides about the others. Without {@code admin:} there is no admin
 * API; without {@code cluster:} the gateway is a cluster of one. {@code backends}, {@code tenants}, {@code unknownTenants}, {@code agents} and {@code limits} change on a
 * reload; the other sections are read at start only.
 */
public record McpgwConfig(
        ServerConfig server,
        PluginsConfig plugins,
        List<BackendConfig> backends,
        @JsonFormat(with = {JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY, JsonFormat.Feature.WRITE_SINGLE_ELEM_ARRAYS_UNWRAPPED})
        List<ExtensionSection> identity,
        List<ExtensionSection> policy,
        List<ExtensionSection> credentials,
        List<ExtensionSection> audit,
        JournalConfig journal,
        List<TenantConfig> tenants,
        UnknownTenants unknownTenants,
        List<AgentConfig> agents,
        LimitsConfig limits,
        Optional<AdminConfig> admin,
        ReloadConfig reload,
        TelemetryConfig telemetry,
        Optional<ClusterConfig> cluster) {

    public McpgwConfig {
        server = server == null ? ServerConfig.DEFAULTS : server;
        plugins = plugins == null ? PluginsConfig.DEFAULTS : plugins;
        backends = backends == null ? List.of() : List.copyOf(backends);
        identity = identity == null ? List.of() : List.copyOf(identity);
        policy = policy == null ? List.of() : List.copyOf(policy);
        credentials = credentials == null ? List.of() : List.copyOf(credentials);
        audit = audit == null ? List.of() : List.copyOf(audit);
        journal = journal == null ? JournalConfig.DEFAULTS : journal;
        tenants = tenants == null ? List.of(new TenantConfig("default", null, null, null, null, null)) : List.copyOf(tenants);
        unknownTenants = unknownTenants == null ? UnknownTenants.REFUSE : unknownTenants;
        agents = agents == null ? List.of() : List.copyOf(agents);
        limits = limits == null ? LimitsConfig.NONE : limits;
        admin = admin == null ? Optional.empty() : admin;
        reload = reload == null ? ReloadConfig.DEFAULTS : reload;
        telemetry = telemetry == null ? TelemetryConfig.DEFAULTS : telemetry;
        cluster = cluster == null ? Optional.empty() : cluster;

        Map<String, Integer> firstIndexById = new HashMap<>();
        for (int i = 0; i < backends.size(); i++) {
            Integer first = firstIndexById.putIfAbsent(backends.get(i).id(), i);
            if (first != null) {
                throw new IllegalArgumentException("backends[" + i + "]: id '" + backends.get(i).id()
                        + "' is already used by backends[" + first + "]");
            }
        }
        Map<String, Integer> firstAgent = new HashMap<>();
        for (int i = 0; i < agents.size(); i++) {
            Integer first = firstAgent.putIfAbsent(agents.get(i).name(), i);
            if (first != null) {
                throw new IllegalArgumentException("agents[" + i + "]: name '" + agents.get(i).name()
                        + "' is already used by agents[" + first + "]");
            }
        }
        for (int i = 0; i < tenants.size(); i++) {
            for (String agent : tenants.get(i).onlyAgents() ? tenants.get(i).agents() : List.<String>of()) {
                if (!firstAgent.containsKey(agent)) {
                    throw new IllegalArgumentException("tenants[" + i + "].agents: no agent is named '" + agent + "'");
                }
            }
        }
        Map<String, Integer> firstTenant = new HashMap<>();
        for (int i = 0; i < tenants.size(); i++) {
            Integer first = firstTenant.putIfAbsent(tenants.get(i).id(), i);
            if (first != null) {
                throw new IllegalArgumentException("tenants[" + i + "]: id '" + tenants.get(i).id()
                        + "' is already used by tenants[" + first + "]");
            }
        }
    }

    /** An empty configuration: every default. */
    public static McpgwConfig defaults() {
        return new McpgwConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** This configuration with other server settings. */
    public McpgwConfig withServer(ServerConfig other) {
        return new McpgwConfig(other, plugins, backends, identity, policy, credentials, audit, journal, tenants, unknownTenants, agents, limits,
                admin, reload, telemetry, cluster);
    }

    /** This configuration with other admin settings. */
    public McpgwConfig withAdmin(Optional<AdminConfig> other) {
        return new McpgwConfig(server, plugins, backends, identity, policy, credentials, audit, journal, tenants, unknownTenants, agents, limits,
                other, reload, telemetry, cluster);
    }
}
