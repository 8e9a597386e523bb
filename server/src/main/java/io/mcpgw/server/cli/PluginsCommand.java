package io.mcpgw.server.cli;

import io.mcpgw.server.GatewayVersion;
import io.mcpgw.server.config.StartupException;
import io.mcpgw.server.plugin.LoadedPlugin;
import io.mcpgw.server.plugin.PluginLoader;
import io.mcpgw.server.plugin.RegisteredFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Lists the plugins the configuration's plugins directory holds, their versions and extensions, then the shipped
 * ones in {@code plugins-available/} not installed yet, each with the command that installs it.
 */
@Command(name = "plugins", mixinStandardHelpOptions = true, description = "List plugins and their extensions.")
final class PluginsCommand implements Callable<Integer> {

    private static final String FORMAT = "%-24s %-12s %-9s %s%n";
    private static final String AVAILABLE = "plugins-available";

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
            listAvailable(config.paths.resolve(plugins.directory()));
            return 0;
        } catch (StartupException e) {
            System.err.println(e.getMessage());
            return 1;
        }
    }

    private void listAvailable(Path installed) {
        Path available = config.paths.resolve(AVAILABLE);
        List<Path> zips;
        try (Stream<Path> files = Files.list(available)) {
            zips = files.filter(file -> file.getFileName().toString().endsWith(".zip"))
                    .filter(file -> !Files.exists(installed.resolve(file.getFileName()))).sorted().toList();
        } catch (IOException e) {
            return;
        }
        if (zips.isEmpty()) {
            return;
        }
        System.out.println();
        System.out.println("Available, not installed (copy one into " + shown(installed) + "/ and restart to use it):");
        for (Path zip : zips) {
            System.out.println("  cp " + shown(zip) + " " + shown(installed) + "/");
        }
    }

    /** A path relative to the install directory when it is inside it, as a user in that directory types it. */
    private String shown(Path path) {
        return path.startsWith(config.paths.home()) ? config.paths.home().relativize(path).toString() : path.toString();
    }

    private static String describe(List<RegisteredFactory> factories) {
        if (factories.isEmpty()) {
            return "-";
        }
        return factories.stream().map(factory -> factory.kind().label() + ":" + factory.name())
                .collect(Collectors.joining(", "));
    }
}
