package io.mcpgw.server.egress;

import static io.mcpgw.server.ingress.McpClientITSupport.call;
import static io.mcpgw.server.ingress.McpClientITSupport.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.mcpgw.testkit.TestingBackendConfig;
import io.mcpgw.testkit.TestingConfig;
import io.mcpgw.testkit.TestingGateway;
import io.mcpgw.testkit.TestingMcpBackend;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Health probes with MCP ping against a real stdio backend that stops answering them, or answers late. */
class HealthIT {

    @TempDir
    Path home;

    private static List<String> tools(McpSyncClient client) {
        return client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
    }

    private static BackendStatus.State state(TestingGateway gateway) {
        return gateway.gateway().backends().get("watched").state();
    }

    @Test
    void unansweredPingsTakeABackendOutOfTheListsUntilItAnswersAgain() throws Exception {
        try (TestingGateway gateway = TestingConfig.gateway()
                        .backend(TestingBackendConfig.stdio("watched", TestingMcpBackend.class)
                                .with("health: { interval: 200ms, timeout: 300ms, slowAfter: 150ms, failures: 2 }"))
                        .startReady(home);
                McpSyncClient client = client(gateway, "/mcp", changed -> { })) {
            assertThat(tools(client)).contains("watched__echo");

            client.callTool(call("watched__mute", Map.of("millis", 600, "delayMillis", 250)));
            await().atMost(Duration.ofSeconds(5)).until(() -> state(gateway) == BackendStatus.State.DEGRADED);
            assertThat(tools(client)).as("degraded is still served").contains("watched__echo");
            await().atMost(Duration.ofSeconds(5)).until(() -> state(gateway) == BackendStatus.State.UP);

            client.callTool(call("watched__mute", Map.of("millis", 2000)));
            await().atMost(Duration.ofSeconds(5)).until(() -> state(gateway) == BackendStatus.State.UNAVAILABLE);
            assertThat(tools(client)).doesNotContain("watched__echo");
            assertThatThrownBy(() -> client.callTool(call("watched__echo", Map.of("text", "x"))))
                    .as("an unavailable backend's tools are unknown").hasMessageContaining("Unknown tool: watched__echo");

            await().atMost(Duration.ofSeconds(10)).until(() -> state(gateway) == BackendStatus.State.UP);
            assertThat(tools(client)).contains("watched__echo");
        }
    }
}
