package io.mcpgw.testkit;

import io.mcpgw.server.Gateway;
import io.mcpgw.server.InstallPaths;
import io.mcpgw.server.config.ConfigLoader;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.demo.DemoBackend;
import java.net.URI;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * A real gateway in the test's JVM, listening on 127.0.0.1 on a free port whatever the configuration says.
 */
public final class TestingGateway implements AutoCloseable {

    private final Gateway gateway;

    private TestingGateway(Gateway gateway) {
        this.gateway = gateway;
    }

    /** Starts a gateway on the YAML configuration, with {@code home} as the install directory. */
    public static TestingGateway start(Path home, String yaml) {
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        McpgwConfig parsed = new ConfigLoader(System::getenv).parse(yaml, "test configuration");
        McpgwConfig config = parsed.withServer(parsed.server().listeningOn("127.0.0.1", 0));
        return new TestingGateway(Gateway.assemble(config, new InstallPaths(home), Clock.systemUTC()).start());
    }

    /** The demo backend from the test class path, as a YAML command list. */
    public static String demoBackendCommandYaml() {
        return JavaCommand.yaml(DemoBackend.class);
    }

    /**
     * A {@code backends:} section with two stdio backends from the test class path: {@code demo} (the bundled
     * demo backend, greeting with {@code greeting}) and {@code testing} (a {@link TestingMcpBackend}).
     */
    public static String demoAndTestingBackends(String greeting) {
        return """
                backends:
                  - id: demo
                    transport: stdio
                    command: %s
                    env: { DEMO_GREETING: "%s" }
                  - id: testing
                    transport: stdio
                    command: %s
                """.formatted(JavaCommand.yaml(DemoBackend.class), greeting, JavaCommand.yaml(TestingMcpBackend.class));
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
