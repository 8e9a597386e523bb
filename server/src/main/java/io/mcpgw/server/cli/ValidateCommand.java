package io.mcpgw.server.cli;

import io.mcpgw.server.Gateway;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.config.StartupException;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Loads the configuration and the plugins and creates every extension, without starting anything. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check a configuration (and the plugins it uses) without starting the gateway.")
final class ValidateCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() {
        try {
            McpgwConfig loaded = config.load();
            try (Gateway gateway = Gateway.assemble(loaded, config.paths, Clock.systemUTC())) {
                System.out.println(config.file() + " is valid: " + loaded.backends().size() + " backend(s), "
                        + gateway.plugins().size() + " plugin(s)");
            }
            return 0;
        } catch (StartupException e) {
            System.err.println(e.getMessage());
            return 1;
        }
    }
}
