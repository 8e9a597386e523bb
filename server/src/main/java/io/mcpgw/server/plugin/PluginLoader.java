package io.mcpgw.server.plugin;

import io.mcpgw.spi.ExtensionFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.pf4j.PluginRuntimeException;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;

/**
 * Loads every plugin in the plugins directory and instantiates its extension factories. Any failure (a bad
 * descriptor, an unmet {@code Plugin-Requires}, a plugin that fails to start, an extension that cannot load)
 * fails the whole load with the plugin's id and the cause, unless the plugin is disabled.
 */
public final class PluginLoader implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(PluginLoader.class);

    private final IsolatedPluginManager manager;
    private final List<LoadedPlugin> plugins;

    private PluginLoader(IsolatedPluginManager manager, List<LoadedPlugin> plugins) {
        this.manager = manager;
        this.plugins = List.copyOf(plugins);
    }

    public static PluginLoader load(Path directory, String gatewayVersion, Set<String> disabled) {
        IsolatedPluginManager manager = new IsolatedPluginManager(directory, gatewayVersion, disabled);
        try {
            List<LoadedPlugin> plugins = new ArrayList<>();
            for (Path candidate : candidates(directory)) {
                String id = loadOne(manager, candidate);
                plugins.add(inspect(manager, manager.getPlugin(id), gatewayVersion, disabled));
            }
            return new PluginLoader(manager, plugins);
        } catch (RuntimeException e) {
            stopAndUnload(manager);
            throw e;
        }
    }

    public List<LoadedPlugin> plugins() {
        return plugins;
    }

    /** Stops the plugins, in reverse start order. */
    @Override
    public void close() {
        stopAndUnload(manager);
    }

    /** One by one from a copy: PF4J's own stopPlugins() changes the list it walks and fails. */
    private static void stopAndUnload(IsolatedPluginManager manager) {
        List<PluginWrapper> started = new ArrayList<>(manager.getStartedPlugins());
        for (PluginWrapper plugin : started.reversed()) {
            manager.stopPlugin(plugin.getPluginId());
        }
        manager.unloadPlugins();
    }

    /** Plugin jars, zips and directories; a directory PF4J unpacked from a zip beside it is the zip's. */
    private static List<Path> candidates(Path directory) {
        if (!Files.isDirectory(directory)) {
            LOG.info("No plugins directory at {}", directory);
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries
                    .filter(path -> !path.getFileName().toString().startsWith("."))
                    .filter(path -> {
                        String name = path.getFileName().toString();
                        if (Files.isDirectory(path)) {
                            return !Files.exists(path.resolveSibling(name + ".zip"));
                        }
                        return name.endsWith(".jar") || name.endsWith(".zip");
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new PluginLoadException("cannot list plugins directory " + directory + ": " + e.getMessage(), e);
        }
    }

    private static String loadOne(IsolatedPluginManager manager, Path path) {
        try {
            return manager.loadPlugin(path);
        } catch (PluginRuntimeException | IllegalArgumentException e) {
            throw new PluginLoadException("plugin " + path.getFileName() + " cannot be loaded: "
                    + e.getMessage().replace("{}", "?"), e);
        }
    }

    private static LoadedPlugin inspect(
            IsolatedPluginManager manager, PluginWrapper plugin, String gatewayVersion, Set<String> disabled) {
        String id = plugin.getPluginId();
        String version = plugin.getDescriptor().getVersion();
        Path path = plugin.getPluginPath();
        String label = "plugin '" + id + "' " + version + " (" + path.getFileName() + ")";
        if (disabled.contains(id)) {
            LOG.info("{} is disabled in the configuration", label);
            return new LoadedPlugin(id, version, path, "disabled", List.of());
        }
        if (!manager.requiresSatisfied(plugin)) {
            throw new PluginLoadException(label + " requires mcpgw " + plugin.getDescriptor().getRequires()
                    + ", but this is mcpgw " + gatewayVersion + "; use a build of the plugin for this version");
        }
        PluginState state = manager.startPlugin(id);
        if (state != PluginState.STARTED) {
            Throwable cause = plugin.getFailedException();
            throw new PluginLoadException(label + " failed to start: " + describe(cause), cause);
        }
        List<RegisteredFactory> factories = new ArrayList<>();
        for (String className : manager.getExtensionClassNames(id)) {
            factories.add(instantiate(plugin, className, label));
        }
        LOG.info("Loaded {} with {} extension(s)", label, factories.size());
        return new LoadedPlugin(id, version, path, "started", factories);
    }

    private static RegisteredFactory instantiate(PluginWrapper plugin, String className, String label) {
        Object instance;
        try {
            Class<?> type = Class.forName(className, true, plugin.getPluginClassLoader());
            instance = type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException invocation
                    ? invocation.getCause() : e;
            String hint = cause instanceof NoClassDefFoundError || cause instanceof ClassNotFoundException
                    ? " (a plugin sees only the JDK, io.mcpgw.spi and org.pf4j: bundle any other library in the plugin)"
                    : "";
            throw new PluginLoadException(label + ": extension " + className + " cannot be loaded: "
                    + describe(cause) + hint, cause);
        }
        if (!(instance instanceof ExtensionFactory<?> factory)) {
            throw new PluginLoadException(label + ": extension " + className
                    + " is not an mcpgw extension factory (implement one of the *Factory interfaces of io.mcpgw.spi)");
        }
        ExtensionKind kind = ExtensionKind.of(factory).orElseThrow(() -> new PluginLoadException(label
                + ": extension " + className + " implements no extension point of this gateway version"));
        return new RegisteredFactory(kind, factory, label);
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown cause";
        }
        return cause.getClass().getName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}
