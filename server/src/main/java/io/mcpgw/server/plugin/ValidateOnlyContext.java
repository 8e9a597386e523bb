package io.mcpgw.server.plugin;

import io.mcpgw.spi.ConfigSection;
import io.mcpgw.spi.ExtensionContext;
import java.nio.file.Path;
import java.time.Clock;

/** An extension's context for {@code mcpgw validate}: as the one it wraps, saying "validate only". */
public record ValidateOnlyContext(ExtensionContext context) implements ExtensionContext {

    @Override
    public ConfigSection config() {
        return context.config();
    }

    @Override
    public Clock clock() {
        return context.clock();
    }

    @Override
    public System.Logger logger() {
        return context.logger();
    }

    @Override
    public Path dataDirectory() {
        return context.dataDirectory();
    }

    @Override
    public String gatewayVersion() {
        return context.gatewayVersion();
    }

    @Override
    public boolean validateOnly() {
        return true;
    }
}
