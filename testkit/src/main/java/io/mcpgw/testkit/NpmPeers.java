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
     * {@code modern-client.mjs}: the TypeScript SDK v2 client ({@code @modelcontextprotocol/client}) pinned to MCP
     * 2026-07-28, listing and calling tools, reading a resource and getting a prompt, for the modern-era ITs.
     */
    public static Optional<Path> modernClient() {
        Path script = directory().resolve("modern-client.mjs");
        Path sdk = directory().resolve("node_modules/@modelcontextprotocol/client/package.json");
        return Files.isRegularFile(script) && Files.isRegularFile(sdk) && node().isPresent() ? Optional.of(script) : Optional.empty();
    }

    /**
     * The node of the npm package {@code node} (a 22 release): the conformance suite needs node 22 or later, which
     * the machine's node need not be.
     */
    public static Optional<Path> packagedNode() {
        Path executable = directory().resolve("node_modules/node/bin/node");
        return Files.isExecutable(executable) && node().isPresent() ? Optional.of(executable) : Optional.empty();
    }

    /**
     * The entry script of a release of the conformance suite, by the directory it is installed in under
     * {@code node_modules} ({@code @modelcontextprotocol/conformance}, or an alias such as {@code conformance-0-1}).
     */
    public static Optional<Path> conformanceSuite(String installedAs) {
        Path script = directory().resolve("node_modules").resolve(installedAs).resolve("dist/index.js");
        return Files.isRegularFile(script) && packagedNode().isPresent() ? Optional.of(script) : Optional.empty();
    }

    /** {@code vendor/conformance/everything-server.mts}: the conformance suite's reference server, vendored with its licence (node strips its types). */
    public static Optional<Path> conformanceServer() {
        Path script = directory().resolve("vendor/conformance/everything-server.mts");
        Path sdk = directory().resolve("node_modules/@modelcontextprotocol/sdk/package.json");
        return Files.isRegularFile(script) && Files.isRegularFile(sdk) && packagedNode().isPresent() ? Optional.of(script) : Optional.empty();
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
