package io.mcpgw.server.cli;

import io.mcpgw.server.GatewayVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mcpgw}: the command behind {@code bin/mcpgw}. */
@Command(
        name = "mcpgw",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "An MCP gateway: one endpoint in front of many MCP tool backends.",
        subcommands = {
            RunCommand.class,
            StartCommand.class,
            StopCommand.class,
            StatusCommand.class,
            ValidateCommand.class,
            PluginsCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main {

    /** LSB init-script code for "not running". */
    static final int NOT_RUNNING = 3;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Main())
                .setExecutionExceptionHandler((error, commandLine, parseResult) -> {
                    commandLine.getErr().println("mcpgw: " + error.getMessage());
                    return 1;
                });
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"mcpgw " + GatewayVersion.full()};
        }
    }
}
