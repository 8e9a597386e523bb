package io.mcpgw.server.plugin;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.GatewayVersion;
import io.mcpgw.server.InstallPaths;
import io.mcpgw.server.config.ExtensionSection;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.lifecycle.ManagedService;
import io.mcpgw.spi.audit.AuditSink;
import io.mcpgw.spi.credentials.CredentialsProvider;
import io.mcpgw.spi.discovery.DiscoveryProvider;
import io.mcpgw.spi.identity.IdentityResolver;
import io.mcpgw.spi.policy.PolicyEvaluator;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The extensions the {@code identity}, {@code policy}, {@code credentials} and {@code audit} sections name,
 * created when the gateway is assembled so that a bad section fails start-up (and {@code mcpgw validate}).
 */
@Singleton
public final class ConfiguredExtensions implements ManagedService {

    private static final Logger LOG = LogManager.getLogger(ConfiguredExtensions.class);

    private final List<IdentityResolver> identity;
    private final List<PolicyEvaluator> policies;
    private final List<CredentialsProvider> credentialProviders;
    private final List<AuditSink> auditSinks;
    private final Optional<DiscoveryProvider> discovery;
    private final Creator creator;

    @Inject
    ConfiguredExtensions(McpgwConfig config, ExtensionRegistry registry, InstallPaths paths, Clock clock) {
        Path dataRoot = paths.resolve(config.server().dataDirectory());
        creator = new Creator(registry, clock, dataRoot);
        identity = config.identity().stream().map(section -> creator.create(ExtensionKind.IDENTITY, section, IdentityResolver.class)).toList();
        policies = config.policy().stream().map(this::createPolicy).toList();
        credentialProviders = config.credentials().stream()
                .map(section -> creator.create(ExtensionKind.CREDENTIALS, section, CredentialsProvider.class)).toList();
        auditSinks = config.audit().stream()
                .map(section -> creator.create(ExtensionKind.AUDIT, section, AuditSink.class)).toList();
        discovery = config.cluster().map(cluster -> creator.create(ExtensionKind.DISCOVERY, cluster.discovery(), DiscoveryProvider.class));
    }

    /** The {@code identity:} resolvers, in the order they are asked. */
    public List<IdentityResolver> identity() {
        return identity;
    }

    public List<PolicyEvaluator> policies() {
        return policies;
    }

    /** A policy from its section, e.g. one of an agent's; the section is checked on the way. */
    public PolicyEvaluator createPolicy(ExtensionSection section) {
        return creator.create(ExtensionKind.POLICY, section, PolicyEvaluator.class);
    }

    public List<CredentialsProvider> credentialProviders() {
        return credentialProviders;
    }

    public List<AuditSink> auditSinks() {
        return auditSinks;
    }

    /** How the cluster's other members are found; empty without a {@code cluster:} section. */
    public Optional<DiscoveryProvider> discovery() {
        return discovery;
    }

    @Override
    public String name() {
        return "configured extensions";
    }

    @Override
    public void start() {}

    @Override
    public void stop() {
        for (AuditSink sink : auditSinks) {
            try {
                sink.close();
            } catch (RuntimeException e) {
                LOG.warn("Closing audit sink {} failed", sink.getClass().getName(), e);
            }
        }
    }

    private record Creator(ExtensionRegistry registry, Clock clock, Path dataRoot) {
        <T> T create(ExtensionKind kind, ExtensionSection section, Class<T> type) {
            return registry.create(kind, section, type,
                    factory -> new HostExtensionContext(section, factory, clock, dataRoot, GatewayVersion.full()));
        }
    }
}
