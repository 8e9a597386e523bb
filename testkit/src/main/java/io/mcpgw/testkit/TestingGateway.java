package io.mcpgw.testkit;

import io.mcpgw.server.Gateway;
import io.mcpgw.server.InstallPaths;
import io.mcpgw.server.config.ConfigLoader;
import io.mcpgw.server.config.ConfigSource;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.telemetry.TelemetryExporters;
import java.net.URI;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * A real gateway in the test's JVM, listening on 127.0.0.1 on free ports (MCP and admin) whatever the
 * configuration says. Its configuration is a file in {@code home}, which a test may rewrite and reload.
 */
public final class TestingGateway implements AutoCloseable {

    private final Gateway gateway;
    private final Path configFile;

    private TestingGateway(Gateway gateway, Path configFile) {
        this.gateway = gateway;
        this.configFile = configFile;
    }

    /** Starts a gateway on the YAML configuration, with {@code home} as the install directory. */
    public static TestingGateway start(Path home, String yaml) {
        return start(home, yaml, TelemetryExporters.NONE);
    }

    /** As {@link #start(Path, String)}, with telemetry also going to {@code exporters}. */
    public static TestingGateway start(Path home, String yaml, TelemetryExporters exporters) {
        Path file = home.resolve("mcpgw.yaml");
        try {
            Files.createDirectories(home);
            Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ConfigSource source = ConfigSource.file(file, new ConfigLoader(System::getenv), TestingGateway::onFreePorts);
        return new TestingGateway(Gateway.assemble(source, new InstallPaths(home), Clock.systemUTC(), exporters).start(), file);
    }

    private static McpgwConfig onFreePorts(McpgwConfig config) {
        return config.withServer(config.server().listeningOn("127.0.0.1", 0))
                .withAdmin(config.admin().map(admin -> admin.listeningOn("127.0.0.1", 0)));
    }

    /** The configuration file the gateway reads (and reloads). */
    public Path configFile() {
        return configFile;
    }

    /** The admin API's base URI; the configuration must have an {@code admin:} section. */
    public URI adminUri() {
        return gateway.adminUri().orElseThrow(() -> new IllegalStateException("the configuration has no admin: section"));
    }

    /**
     * Puts the plugin zip a plugin module's build made (system property {@code mcpgw.plugin.zip}) into
     * {@code home/plugins/}, as a user drops one in; once per home.
     */
    public static void installBuiltPlugin(Path home) {
        Path zip = Path.of(System.getProperty("mcpgw.plugin.zip"));
        Path installed = home.resolve("plugins").resolve(zip.getFileName());
        try {
            Files.createDirectories(installed.getParent());
            if (!Files.exists(installed)) {
                Files.copy(zip, installed);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI baseUri() {
        return gateway.baseUri();
    }

    public Gateway gateway() {
        return gateway;
    }

    /** Waits until every backend has been tried. */
    public TestingGateway awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!gateway.isReady()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gateway not ready after " + timeout + ": " + gateway.backends());
            }
            Thread.sleep(20);
        }
        return this;
    }

    @Override
    public void close() {
        gateway.close();
    }
}
