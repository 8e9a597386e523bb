package io.mcpgw.server.plugin;

import io.mcpgw.server.config.ConfigLoader;
import io.mcpgw.server.config.ExtensionSection;
import io.mcpgw.spi.ConfigSection;
import io.mcpgw.spi.ExtensionContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/** The {@link ExtensionContext} the gateway gives an extension for one configuration section. */
public final class HostExtensionContext implements ExtensionContext {

    private final ExtensionSection section;
    private final RegisteredFactory factory;
    private final Clock clock;
    private final Path dataRoot;
    private final String gatewayVersion;

    public HostExtensionContext(
            ExtensionSection section, RegisteredFactory factory, Clock clock, Path dataRoot, String gatewayVersion) {
        this.section = section;
        this.factory = factory;
        this.clock = clock;
        this.dataRoot = dataRoot;
        this.gatewayVersion = gatewayVersion;
    }

    @Override
    public ConfigSection config() {
        return new ConfigSection() {
            @Override
            public String path() {
                return section.path();
            }

            @Override
            public boolean isEmpty() {
                return section.settings().isEmpty();
            }

            @Override
            public <T> T bind(Class<T> type) {
                return ConfigLoader.bind(section, type);
            }
        };
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public System.Logger logger() {
        return new Log4jSystemLogger("mcpgw.extension." + factory.kind().label() + "." + factory.name());
    }

    @Override
    public Path dataDirectory() {
        Path directory = dataRoot.resolve(factory.kind().label()).resolve(factory.name());
        try {
            return Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory, e);
        }
    }

    @Override
    public String gatewayVersion() {
        return gatewayVersion;
    }
}
