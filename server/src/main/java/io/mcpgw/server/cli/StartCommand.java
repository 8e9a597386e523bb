package io.mcpgw.server.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Starts {@code mcpgw run} detached (its own session, output to {@code logs/mcpgw.out}) and returns once it is
 * ready, or prints why it is not.
 */
@Command(name = "start", mixinStandardHelpOptions = true, description = "Start the gateway in the background.")
final class StartCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long to wait for the gateway to be ready (default: ${DEFAULT-VALUE}).")
    int waitSeconds;

    @Override
    public Integer call() throws IOException, InterruptedException {
        RunFiles files = new RunFiles(config.paths);
        Optional<ProcessHandle> running = files.running();
        if (running.isPresent()) {
            System.out.println("mcpgw is already running (pid " + running.get().pid() + ")");
            return 0;
        }
        Path out = config.paths.logs().resolve("mcpgw.out");
        Files.createDirectories(out.getParent());
        Process process = new ProcessBuilder(command())
                .directory(config.paths.home().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                .redirectErrorStream(true)
                .start();

        ReadinessProbe probe = new ReadinessProbe(() -> config.load().server(), config.paths);
        long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                System.err.println("mcpgw failed to start (exit code " + process.exitValue() + "); last lines of " + out + ":");
                tail(out, 20).forEach(line -> System.err.println("  " + line));
                return 1;
            }
            Optional<String> address = files.httpAddress(process.pid());
            if (address.isPresent() && probe.ready(address.get())) {
                System.out.println("mcpgw started (pid " + process.pid() + "), listening on " + address.get());
                return 0;
            }
            Thread.sleep(100);
        }
        System.err.println("mcpgw (pid " + process.pid() + ") is not ready after " + waitSeconds
                + " s; it keeps starting in the background: see " + out + " and 'mcpgw status'");
        return 1;
    }

    /** {@code bin/mcpgw run} in a session of its own, so the launcher alone decides how the JVM is started. */
    private List<String> command() {
        List<String> command = new ArrayList<>();
        for (Path setsid : List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"))) {
            if (Files.isExecutable(setsid)) {
                command.add(setsid.toString());
                break;
            }
        }
        command.add(config.paths.home().resolve("bin").resolve("mcpgw").toString());
        command.add("run");
        command.add("--config");
        command.add(config.file().toString());
        return command;
    }

    private static List<String> tail(Path file, int lines) throws IOException {
        List<String> all = Files.readAllLines(file);
        return all.subList(Math.max(0, all.size() - lines), all.size());
    }
}
