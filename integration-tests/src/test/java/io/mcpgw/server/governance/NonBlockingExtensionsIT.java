package io.mcpgw.server.governance;

import static io.mcpgw.testkit.TestingPluginJar.plugin;
import static io.mcpgw.testkit.TestingPluginJar.policyFactorySource;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcpgw.testkit.RawMcp;
import io.mcpgw.testkit.TestingConfig;
import io.mcpgw.testkit.TestingGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A policy plugin that declares {@code neverBlocks()} is asked on the I/O thread that read the request, with no hop
 * to another thread; one that does not (the SPI's default) is asked on a virtual thread, where it may wait.
 */
class NonBlockingExtensionsIT {

    @TempDir
    Path home;

    @ParameterizedTest(name = "neverBlocks: {0}")
    @CsvSource({"true, false, mcpgw-io", "false, true, ''"})
    void aPolicyIsAskedOnTheThreadItsDeclarationAllows(boolean neverBlocks, boolean virtual, String threadNamed) throws Exception {
        plugin("where").requires(">=0.1.0")
                .extension("com.example.where.WhereFactory", policyFactorySource("com.example.where.WhereFactory", "where", """
                        public record Settings(boolean neverBlocks) {}
                        """, """
                        Settings settings = context.config().bind(Settings.class);
                        return new PolicyEvaluator() {
                            @Override
                            public Decision evaluate(io.mcpgw.spi.policy.PolicyInput input) {
                                Thread asked = Thread.currentThread();
                                return new Decision.Deny("where", "virtual=" + asked.isVirtual() + " name=" + asked.getName());
                            }

                            @Override
                            public boolean neverBlocks() {
                                return settings.neverBlocks();
                            }
                        };
                        """))
                .writeJar(Files.createDirectories(home.resolve("plugins")));
        try (TestingGateway gateway = TestingConfig.gateway().yaml("""
                policy:
                  - type: where
                    neverBlocks: %s
                """.formatted(neverBlocks)).demoAndTesting("hello").startReady(home)) {
            String told = new RawMcp(gateway, null, "/mcp").initialized().call("testing__echo", "{\"text\":\"x\"}")
                    .path("error").path("message").asText();
            assertThat(told).startsWith("virtual=" + virtual + " name=" + threadNamed);
        }
    }
}
