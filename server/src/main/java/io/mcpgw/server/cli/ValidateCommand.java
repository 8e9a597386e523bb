package io.mcpgw.server.cli;

import io.mcpgw.server.Gateway;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.config.StartupException;
import java.time.Clock;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Loads the configuration and the plugins and creates every extension in validate mode (nothing connects, nothing
 * starts); a failure is one line.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check a configuration (and the plugins it uses) without starting the gateway.")
final class ValidateCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() {
        // The answer is one line; what the gateway and its plugins log while assembling shows only when it warns.
        Configurator.setRootLevel(Level.WARN);
        try {
            McpgwConfig loaded = config.load();
            try (Gateway gateway = Gateway.validate(loaded, config.paths, Clock.systemUTC())) {
                System.out.println(config.file() + " is valid: " + loaded.backends().size() + " backend(s), "
                        + gateway.plugins().size() + " plugin(s)");
            }
            return 0;
        } catch (StartupException e) {
            System.err.println(oneLine(e.getMessage()));
            return 1;
        } catch (RuntimeException | LinkageError e) {
            System.err.println(config.file() + ": cannot be checked: " + oneLine(e.toString()));
            return 1;
        }
    }

    private static String oneLine(String message) {
        return message.replaceAll("\\s*\\R\\s*", " ");
    }
}
