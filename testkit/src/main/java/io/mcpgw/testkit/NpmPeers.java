package io.mcpgw.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The npm reference servers the testkit build installs ({@code testkit/src/test/npm}). Tests that need them run
 * whenever node is on the machine, and always under {@code CI=true}, where a missing node or package is an error.
 */
public final class NpmPeers {

    private NpmPeers() {}

    /** The entry script of {@code @modelcontextprotocol/server-everything}. */
    public static Optional<Path> everythingServer() {
        Path script = Path.of("src/test/npm/node_modules/@modelcontextprotocol/server-everything/dist/index.js").toAbsolutePath();
        return Files.isRegularFile(script) && node().isPresent() ? Optional.of(script) : Optional.empty();
    }

    /**
     * {@code src/test/npm/tls-client.mjs}: the TypeScript SDK's client (which server-everything brings) calling one
     * tool over Streamable HTTP or SSE, for the TLS ITs.
     */
    public static Optional<Path> typeScriptClient() {
        Path script = Path.of("src/test/npm/tls-client.mjs").toAbsolutePath();
        Path sdk = Path.of("src/test/npm/node_modules/@modelcontextprotocol/sdk/package.json").toAbsolutePath();
        return Files.isRegularFile(script) && Files.isRegularFile(sdk) && node().isPresent() ? Optional.of(script) : Optional.empty();
    }

    /** The node executable on PATH. */
    public static Optional<Path> node() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(directory -> !directory.isEmpty())
                .map(directory -> Path.of(directory, "node"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** Whether a missing peer must fail the test instead of skipping it. */
    public static boolean required() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }
}
