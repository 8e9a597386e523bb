package io.mcpgw.server.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Exit code 0 when running, 3 when not, as init scripts expect. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Tell whether the gateway is running.")
final class StatusCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() {
        RunFiles files = new RunFiles(config.paths);
        Optional<ProcessHandle> running = files.running();
        if (running.isEmpty()) {
            System.out.println("mcpgw is not running");
            return Main.NOT_RUNNING;
        }
        long pid = running.get().pid();
        System.out.println("mcpgw is running (pid " + pid + ")"
                + files.httpAddress(pid).map(address -> ", listening on " + address).orElse(", starting"));
        files.cluster(pid).ifPresent(System.out::println);
        return 0;
    }
}
