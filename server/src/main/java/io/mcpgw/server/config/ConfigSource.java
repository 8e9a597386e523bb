package io.mcpgw.server.config;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** Where the configuration comes from, so that a reload can read it again. */
public interface ConfigSource {

    /** The file, when there is one (it is then watched and reloaded from). */
    Optional<Path> file();

    /** Reads the configuration afresh; a bad one throws {@link ConfigException}. */
    McpgwConfig load();

    /** A configuration given in code: reloading it changes nothing. */
    static ConfigSource fixed(McpgwConfig config) {
        return new ConfigSource() {
            @Override
            public Optional<Path> file() {
                return Optional.empty();
            }

            @Override
            public McpgwConfig load() {
                return config;
            }
        };
    }

    /** A file, read with {@code loader}, each reading then passed through {@code adjust} (e.g. a test's free port). */
    static ConfigSource file(Path file, ConfigLoader loader, UnaryOperator<McpgwConfig> adjust) {
        return new ConfigSource() {
            @Override
            public Optional<Path> file() {
                return Optional.of(file);
            }

            @Override
            public McpgwConfig load() {
                return adjust.apply(loader.load(file));
            }
        };
    }
}
