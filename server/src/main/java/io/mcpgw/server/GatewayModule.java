package io.mcpgw.server;

import com.google.inject.AbstractModule;
import com.google.inject.Inject;
import com.google.inject.Injector;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import io.mcpgw.server.admin.AdminServer;
import io.mcpgw.server.admin.ConfigWatcher;
import io.mcpgw.server.cluster.ClusterMember;
import io.mcpgw.server.cluster.NodeDirectory;
import io.mcpgw.server.cluster.StaticDiscoveryFactory;
import io.mcpgw.server.config.ConfigSource;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.egress.BackendGauges;
import io.mcpgw.server.egress.BackendManager;
import io.mcpgw.server.transport.http.HttpTransportFactory;
import io.mcpgw.server.audit.AuditGauges;
import io.mcpgw.server.audit.AuditJournal;
import io.mcpgw.server.audit.FileAuditSinkFactory;
import io.mcpgw.server.audit.LogAuditSinkFactory;
import io.mcpgw.server.credentials.EnvCredentialsFactory;
import io.mcpgw.server.credentials.StaticCredentialsFactory;
import io.mcpgw.server.transport.http.SseTransportFactory;
import io.mcpgw.server.io.IoThreads;
import io.mcpgw.server.identity.ApiKeyIdentityFactory;
import io.mcpgw.server.identity.JwtIdentityFactory;
import io.mcpgw.server.identity.MtlsIdentityFactory;
import io.mcpgw.server.identity.NoneIdentityFactory;
import io.mcpgw.server.transport.stdio.StdioTransportFactory;
import io.mcpgw.server.ingress.HttpServer;
import io.mcpgw.server.lifecycle.ManagedService;
import io.mcpgw.server.plugin.ConfiguredExtensions;
import io.mcpgw.server.plugin.ExtensionRegistry;
import io.mcpgw.server.plugin.PluginLoader;
import io.mcpgw.server.session.SessionGauge;
import io.mcpgw.server.telemetry.Telemetry;
import io.mcpgw.server.telemetry.TelemetryExporters;
import io.mcpgw.spi.ExtensionFactory;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/**
 * Wires the gateway. Managed services start in the order they are bound here (plugins, telemetry, extensions,
 * the audit journal, the cluster member, backends, then the listeners, so nothing is served before it can be
 * answered, and last what tells the cluster where this node serves) and stop in
 * reverse: the listeners let requests in flight finish, backends end, the journal flushes, telemetry exports last.
 */
final class GatewayModule extends AbstractModule {

    private final McpgwConfig config;
    private final ConfigSource source;
    private final InstallPaths paths;
    private final PluginLoader plugins;
    private final Clock clock;
    private final TelemetryExporters exporters;
    private final boolean validateOnly;

    GatewayModule(McpgwConfig config, ConfigSource source, InstallPaths paths, PluginLoader plugins, Clock clock,
            TelemetryExporters exporters, boolean validateOnly) {
        this.exporters = exporters;
        this.validateOnly = validateOnly;
        this.config = config;
        this.source = source;
        this.paths = paths;
        this.plugins = plugins;
        this.clock = clock;
    }

    @Override
    protected void configure() {
        bind(McpgwConfig.class).toInstance(config);
        bind(ConfigSource.class).toInstance(source);
        bind(InstallPaths.class).toInstance(paths);
        bind(PluginLoader.class).toInstance(plugins);
        bind(Clock.class).toInstance(clock);
        bind(TelemetryExporters.class).toInstance(exporters);
        bind(BackendGauges.class).asEagerSingleton();
        bind(SessionGauge.class).asEagerSingleton();
        bind(AuditGauges.class).asEagerSingleton();

        install(new LocalStateModule());
        bind(BackendListeners.class).asEagerSingleton();

        Multibinder<ExtensionFactory<?>> builtIns = Multibinder.newSetBinder(binder(), new TypeLiteral<>() {});
        builtIns.addBinding().to(StdioTransportFactory.class);
        builtIns.addBinding().to(HttpTransportFactory.class);
        builtIns.addBinding().to(SseTransportFactory.class);
        builtIns.addBinding().to(NoneIdentityFactory.class);
        builtIns.addBinding().to(ApiKeyIdentityFactory.class);
        builtIns.addBinding().to(JwtIdentityFactory.class);
        builtIns.addBinding().to(MtlsIdentityFactory.class);
        builtIns.addBinding().to(FileAuditSinkFactory.class);
        builtIns.addBinding().to(LogAuditSinkFactory.class);
        builtIns.addBinding().to(StaticCredentialsFactory.class);
        builtIns.addBinding().to(EnvCredentialsFactory.class);
        builtIns.addBinding().to(StaticDiscoveryFactory.class);

        Multibinder<ManagedService> services = Multibinder.newSetBinder(binder(), ManagedService.class);
        services.addBinding().to(PluginsService.class);
        services.addBinding().to(Telemetry.class);
        services.addBinding().to(IoThreads.class);
        services.addBinding().to(ConfiguredExtensions.class);
        services.addBinding().to(AuditJournal.class);
        if (config.cluster().isPresent()) {
            services.addBinding().to(ClusterMember.class);
        }
        services.addBinding().to(BackendManager.class);
        services.addBinding().to(HttpServer.class);
        if (config.cluster().isPresent()) {
            services.addBinding().to(NodeDirectory.class);
        }
        services.addBinding().to(AdminServer.class);
        services.addBinding().to(ConfigWatcher.class);
    }

    @Provides
    @Singleton
    ExtensionRegistry extensionRegistry(Set<ExtensionFactory<?>> builtIns) {
        return new ExtensionRegistry(builtIns, plugins.plugins(), validateOnly);
    }

    /** Who the cluster's members are; empty without a {@code cluster:} section (nothing of the cluster is then made). */
    @Provides
    @Singleton
    Optional<NodeDirectory> clusterNodes(Injector injector) {
        return config.cluster().map(cluster -> injector.getInstance(NodeDirectory.class));
    }

    /** Stops the plugins last, after everything that uses their extensions. */
    @Singleton
    static final class PluginsService implements ManagedService {
        private final PluginLoader plugins;

        @Inject
        PluginsService(PluginLoader plugins) {
            this.plugins = plugins;
        }

        @Override
        public String name() {
            return "plugins";
        }

        @Override
        public void start() {}

        @Override
        public void stop() {
            plugins.close();
        }
    }
}
