package io.mcpgw.server.plugin;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.pf4j.ClassLoadingStrategy;
import org.pf4j.CompoundPluginLoader;
import org.pf4j.DefaultPluginLoader;
import org.pf4j.DefaultPluginManager;
import org.pf4j.JarPluginLoader;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginLoader;
import org.pf4j.PluginStatusProvider;
import org.pf4j.PluginWrapper;

/**
 * PF4J's manager with plugin class loaders that see only the SPI ({@link SpiOnlyClassLoader}), parent first so a
 * plugin that bundles the SPI by mistake still shares the gateway's copy, and a disabled list from the
 * configuration instead of PF4J's files.
 */
final class IsolatedPluginManager extends DefaultPluginManager {

    private final Set<String> disabled;
    private final ClassLoader parent;

    IsolatedPluginManager(Path root, String systemVersion, Set<String> disabled) {
        super(List.of(root));
        this.disabled = Set.copyOf(disabled);
        this.parent = new SpiOnlyClassLoader(IsolatedPluginManager.class.getClassLoader());
        setSystemVersion(systemVersion);
    }

    @Override
    protected PluginLoader createPluginLoader() {
        return new CompoundPluginLoader()
                .add(new DefaultPluginLoader(this) {
                    @Override
                    protected PluginClassLoader createPluginClassLoader(Path pluginPath, PluginDescriptor descriptor) {
                        return isolatedClassLoader(descriptor);
                    }
                })
                .add(new JarPluginLoader(this) {
                    @Override
                    protected PluginClassLoader createPluginClassLoader(Path pluginPath, PluginDescriptor descriptor) {
                        return isolatedClassLoader(descriptor);
                    }
                });
    }

    @Override
    protected PluginStatusProvider createPluginStatusProvider() {
        return new PluginStatusProvider() {
            @Override
            public boolean isPluginDisabled(String pluginId) {
                return disabled != null && disabled.contains(pluginId);
            }

            @Override
            public void disablePlugin(String pluginId) {
                throw new UnsupportedOperationException("plugins are disabled in the configuration (plugins.disabled)");
            }

            @Override
            public void enablePlugin(String pluginId) {
                throw new UnsupportedOperationException("plugins are enabled in the configuration (plugins.disabled)");
            }
        };
    }

    /** Whether PF4J judged the plugin's {@code Plugin-Requires} satisfied by this gateway. */
    boolean requiresSatisfied(PluginWrapper plugin) {
        return isPluginValid(plugin);
    }

    private PluginClassLoader isolatedClassLoader(PluginDescriptor descriptor) {
        return new PluginClassLoader(this, descriptor, parent, ClassLoadingStrategy.APD);
    }
}
