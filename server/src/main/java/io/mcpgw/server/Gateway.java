package io.mcpgw.server;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.ProvisionException;
import com.google.inject.Stage;
import com.google.inject.spi.Message;
import io.mcpgw.server.admin.AdminServer;
import io.mcpgw.server.admin.Operator;
import io.mcpgw.server.admin.ReloadReport;
import io.mcpgw.server.catalog.Catalog;
import io.mcpgw.server.cluster.NodeDirectory;
import io.mcpgw.server.config.ConfigSource;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.config.StartupException;
import io.mcpgw.server.egress.BackendManager;
import io.mcpgw.server.egress.BackendStatus;
import io.mcpgw.server.ingress.HttpServer;
import io.mcpgw.server.lifecycle.Lifecycle;
import io.mcpgw.server.plugin.LoadedPlugin;
import io.mcpgw.server.plugin.PluginLoader;
import io.mcpgw.server.session.SessionStore;
import io.mcpgw.server.telemetry.TelemetryExporters;
import java.net.URI;
import java.time.Clock;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One gateway: assembled from a configuration (plugins loaded, every extension created and so its configuration
 * checked), then started and finally closed. {@code mcpgw validate} assembles without starting.
 */
public final class Gateway implements AutoCloseable {

    private final Injector injector;
    private final PluginLoader plugins;
    private boolean started;

    private Gateway(Injector injector, PluginLoader plugins) {
        this.injector = injector;
        this.plugins = plugins;
    }

    /** Loads plugins and creates every configured extension. Nothing listens or runs yet; reloading changes nothing. */
    public static Gateway assemble(McpgwConfig config, InstallPaths paths, Clock clock) {
        return assemble(ConfigSource.fixed(config), paths, clock);
    }

    /** As {@link #assemble(McpgwConfig, InstallPaths, Clock)}, on the configuration {@code source} reads, and reloads from it. */
    public static Gateway assemble(ConfigSource source, InstallPaths paths, Clock clock) {
        return assemble(source, paths, clock, TelemetryExporters.NONE);
    }

    /** As {@link #assemble(ConfigSource, InstallPaths, Clock)}, with telemetry also going to {@code exporters}. */
    public static Gateway assemble(ConfigSource source, InstallPaths paths, Clock clock, TelemetryExporters exporters) {
        return assemble(source, paths, clock, exporters, false);
    }

    /**
     * Assembles only to check the configuration ({@code mcpgw validate}): extensions are told to connect to
     * nothing ({@link io.mcpgw.spi.ExtensionContext#validateOnly()}); close it unstarted.
     */
    public static Gateway validate(McpgwConfig config, InstallPaths paths, Clock clock) {
        return assemble(ConfigSource.fixed(config), paths, clock, TelemetryExporters.NONE, true);
    }

    private static Gateway assemble(ConfigSource source, InstallPaths paths, Clock clock, TelemetryExporters exporters,
            boolean validateOnly) {
        McpgwConfig config = source.load();
        PluginLoader plugins = PluginLoader.load(paths.resolve(config.plugins().directory()), GatewayVersion.release(),
                new HashSet<>(config.plugins().disabled()));
        try {
            return new Gateway(Guice.createInjector(Stage.PRODUCTION, new GatewayModule(config, source, paths, plugins, clock, exporters,
                    validateOnly)),
                    plugins);
        } catch (CreationException e) {
            plugins.close();
            throw unwrap(e.getErrorMessages(), e);
        } catch (ProvisionException e) {
            plugins.close();
            throw unwrap(e.getErrorMessages(), e);
        }
    }

    /** Starts backends and the listener. */
    public Gateway start() {
        injector.getInstance(Lifecycle.class).start();
        started = true;
        return this;
    }

    public URI baseUri() {
        return injector.getInstance(HttpServer.class).baseUri();
    }

    /** Where the admin API listens; empty without an {@code admin:} section. */
    public Optional<URI> adminUri() {
        return injector.getInstance(AdminServer.class).uri();
    }

    /**
     * Reads the configuration again and applies what changed (see {@link Operator#reload}).
     *
     * @param trigger who asked, for the log and the audit trail, e.g. {@code SIGHUP}
     * @throws StartupException why it cannot be applied; nothing changed then
     */
    public ReloadReport reload(String trigger) {
        return injector.getInstance(Operator.class).reload(trigger);
    }

    /** The cluster's members; empty without a {@code cluster:} section. */
    public Optional<NodeDirectory> cluster() {
        return injector.getInstance(new Key<Optional<NodeDirectory>>() {});
    }

    /** Ready once every backend has been tried. */
    public boolean isReady() {
        return started && injector.getInstance(BackendManager.class).allTried();
    }

    public Map<String, BackendStatus> backends() {
        return injector.getInstance(BackendManager.class).statuses();
    }

    /** Ends every client session, as an idle timeout would. */
    public void endSessions() {
        injector.getInstance(SessionStore.class).endAll();
    }

    /** An operator accepts a pinned tool's changed definition; false when the backend offers no such tool. */
    public boolean approveTool(String backendId, String tool) {
        return injector.getInstance(Catalog.class).approve(backendId, tool);
    }

    /** An operator closes a backend's open circuit; false when there is no such backend. */
    public boolean resetCircuit(String backendId) {
        return injector.getInstance(BackendManager.class).get(backendId).map(backend -> {
            backend.resetCircuit();
            return true;
        }).orElse(false);
    }

    public List<LoadedPlugin> plugins() {
        return plugins.plugins();
    }

    /** Stops gracefully: the listener first, plugins last. Safe to call more than once. */
    @Override
    public void close() {
        if (started) {
            injector.getInstance(Lifecycle.class).stop();
            started = false;
        } else {
            plugins.close();
        }
    }

    private static StartupException unwrap(Collection<Message> messages, RuntimeException wrapper) {
        for (Message message : messages) {
            for (Throwable cause = message.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof StartupException startup) {
                    return startup;
                }
            }
        }
        return new StartupException("the gateway could not be assembled: " + wrapper.getMessage(), wrapper);
    }
}
