package io.mcpgw.server.cli;

import io.mcpgw.server.InstallPaths;
import io.mcpgw.server.config.ConfigLoader;
import io.mcpgw.server.config.McpgwConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --config}, which every command takes, and the install directory it is relative to. */
final class ConfigOption {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "The configuration file (default: conf/mcpgw.yaml in the install directory).")
    Path file;

    final InstallPaths paths = InstallPaths.fromSystemProperties();

    Path file() {
        return file != null ? file.toAbsolutePath() : paths.defaultConfig();
    }

    McpgwConfig load() {
        return ConfigLoader.fromSystemEnvironment().load(file());
    }
}
