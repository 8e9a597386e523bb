package io.mcpgw.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The npm reference servers the testkit build installs ({@code testkit/npm}; the build tells tests where in the
 * system property {@code mcpgw.npm.peers}). Tests that need them run whenever node is on the machine, and always
 * under {@code CI=true}, where a missing node or package is an error.
 */
public final class NpmPeers {

    private NpmPeers() {}

    /** Where they are installed: the build's word for it, else the testkit beside the module running the test. */
    private static Path directory() {
        return Path.of(System.getProperty("mcpgw.npm.peers", "../testkit/npm")).toAbsolutePath();
    }

    /** The entry script of {@code @modelcontextprotocol/server-everything}. */
    public static Optional<Path> everythingServer() {
        Path script = directory().resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js");
        return Files.isRegularFile(script) && node().isPresent() ? Optional.of(script) : Optional.empty();
    }

    /**
     * {@code tls-client.mjs}: the TypeScript SDK's client (which server-everything brings) calling one
     * tool over Streamable HTTP or SSE, for the TLS ITs.
     */
    public static Optional<Path> typeScriptClient() {
        Path script = directory().resolve("tls-client.mjs");
        Path sdk = directory().resolve("node_modules/@modelcontextprotocol/sdk/package.json");
        return Files.isRegularFile(script) && Files.isRegularFile(sdk) && node().isPresent() ? Optional.of(script) : Optional.empty();
    }

    /**
     * {@code modern-server.mjs}: a backend written with the official TypeScript SDK v2 server
     * ({@code @modelcontextprotocol/server}), speaking MCP 2026-07-28 only or both eras, over stdio or Streamable HTTP.
     */
    public static Optional<Path> modernServer() {
        Path script = directory().resolve("modern-server.mjs");
        Path sdk = directory().resolve("node_modules/@modelcontextprotocol/server/package.json");
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
