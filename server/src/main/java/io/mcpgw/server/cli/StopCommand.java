package io.mcpgw.server.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Sends SIGTERM (a graceful stop) and waits for the process to end. */
@Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop the running gateway gracefully.")
final class StopCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long to wait for the graceful stop (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--force", description = "Kill the process (SIGKILL) if it has not stopped within the timeout.")
    boolean force;

    @Override
    public Integer call() throws InterruptedException, ExecutionException {
        Optional<ProcessHandle> running = new RunFiles(config.paths).running();
        if (running.isEmpty()) {
            System.out.println("mcpgw is not running");
            return 0;
        }
        ProcessHandle process = running.get();
        process.destroy();
        try {
            process.onExit().get(timeoutSeconds, TimeUnit.SECONDS);
            System.out.println("mcpgw stopped (pid " + process.pid() + ")");
            return 0;
        } catch (TimeoutException e) {
            if (!force) {
                System.err.println("mcpgw (pid " + process.pid() + ") did not stop within " + timeoutSeconds
                        + " s; run 'mcpgw stop --force' to kill it");
                return 1;
            }
        }
        process.destroyForcibly();
        try {
            process.onExit().get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            System.err.println("mcpgw (pid " + process.pid() + ") survived SIGKILL");
            return 1;
        }
        new RunFiles(config.paths).removeQuietly();
        System.out.println("mcpgw killed (pid " + process.pid() + ") after " + timeoutSeconds + " s");
        return 0;
    }
}
