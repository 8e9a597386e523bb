package io.mcpgw.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A release of the official MCP conformance suite ({@code @modelcontextprotocol/conformance}) from the npm peers,
 * run as the client it is against a server URL: {@code conformance server --url <url> -o <dir> <selection>}, its
 * console output in {@code <dir>.log}, its results read back when it ends. A run past its time limit is ended (by
 * its pid) and is an error.
 */
public final class ConformanceSuite {

    private final Path node;
    private final Path script;
    private final Duration limit;

    /** {@code node} must be one the suite runs on (22 or later); {@code script} is its {@code dist/index.js}. */
    public ConformanceSuite(Path node, Path script, Duration limit) {
        this.node = node;
        this.script = script;
        this.limit = limit;
    }

    /**
     * Runs the server scenarios {@code selection} names (e.g. {@code --requirements 2025-11-25} or
     * {@code --suite all}) against {@code url}, saving them under {@code directory} (emptied first).
     */
    public ConformanceResults run(String url, Path directory, List<String> selection) throws IOException, InterruptedException {
        Path output = directory.toAbsolutePath();
        if (Files.exists(output)) {
            try (Stream<Path> earlier = Files.walk(output)) {
                for (Path path : earlier.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        Files.createDirectories(output);
        List<String> command = new ArrayList<>(List.of(node.toString(), script.toString(), "server", "--url", url, "-o", output.toString()));
        command.addAll(selection);
        Path log = output.resolveSibling(output.getFileName() + ".log");
        Process process = new ProcessBuilder(command).directory(output.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IOException("the conformance suite did not finish within " + limit.toSeconds() + " s: " + command + " (see " + log + ")");
        }
        ConformanceResults results = ConformanceResults.read(output, log);
        if (results.scenarios().isEmpty()) {
            throw new IOException("the conformance suite ran no scenario (exit " + process.exitValue() + "): " + command + "\n" + Files.readString(log));
        }
        return results;
    }
}
