package io.mcpgw.server.cli;

import io.mcpgw.server.GatewayVersion;
import io.mcpgw.server.config.StartupException;
import io.mcpgw.server.plugin.LoadedPlugin;
import io.mcpgw.server.plugin.PluginLoader;
import io.mcpgw.server.plugin.RegisteredFactory;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Lists the plugins the configuration's plugins directory holds, their versions and extensions. */
@Command(name = "plugins", mixinStandardHelpOptions = true, description = "List plugins and their extensions.")
final class PluginsCommand implements Callable<Integer> {

    private static final String FORMAT = "%-24s %-12s %-9s %s%n";

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() {
        try {
            var plugins = config.load().plugins();
            try (PluginLoader loader = PluginLoader.load(config.paths.resolve(plugins.directory()),
                    GatewayVersion.release(), new HashSet<>(plugins.disabled()))) {
                System.out.printf(FORMAT, "PLUGIN", "VERSION", "STATE", "EXTENSIONS");
                for (LoadedPlugin plugin : loader.plugins()) {
                    System.out.printf(FORMAT, plugin.id(), plugin.version(), plugin.state(), describe(plugin.factories()));
                }
                if (loader.plugins().isEmpty()) {
                    System.out.println("(no plugins in " + config.paths.resolve(plugins.directory()) + ")");
                }
            }
            return 0;
        } catch (StartupException e) {
            System.err.println(e.getMessage());
            return 1;
        }
    }

    private static String describe(List<RegisteredFactory> factories) {
        if (factories.isEmpty()) {
            return "-";
        }
        return factories.stream().map(factory -> factory.kind().label() + ":" + factory.name())
                .collect(Collectors.joining(", "));
    }
}
