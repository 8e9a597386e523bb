package io.mcpgw.server.governance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.server.ingress.McpClientITSupport;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.testkit.TestingBackendConfig;
import io.mcpgw.testkit.TestingConfig;
import io.mcpgw.testkit.TestingGateway;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sampling guard: what a backend may ask of the client's model, per tenant and per agent, seen from the client. */
class SamplingGuardIT {

    @TempDir
    static Path home;

    private static TestingGateway gateway;

    @BeforeAll
    static void startGateway() throws InterruptedException {
        gateway = TestingConfig.gateway()
                .apiKey("acme", "acme", "app").apiKey("calm", "calm", "app")
                .tenant("acme", "sampling: { maxTokens: 100, allowIncludeContext: false, modelHints: [\"claude-*\"], requestsPerMinute: 3 }")
                .tenant("calm", "sampling: { maxTokens: 100 }")
                .backend(TestingBackendConfig.testing())
                .yaml("""
                        agents:
                          - name: terse
                            uses: [testing]
                            sampling: { maxTokens: 20 }
                        """)
                .startReady(home);
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    private static JsonNode sample(McpSyncClient client, int maxTokens) throws Exception {
        Map<String, Object> params = Map.of(
                "messages", List.of(Map.of("role", "user", "content", Map.of("type", "text", "text", "hi"))),
                "maxTokens", maxTokens, "includeContext", "allServers",
                "modelPreferences", Map.of("hints", List.of(Map.of("name", "gpt-9"), Map.of("name", "claude-sonnet"))));
        String answer = McpClientITSupport.text(client.callTool(McpSchema.CallToolRequest.builder("testing__ask")
                .arguments(Map.of("method", "sampling/createMessage", "params", params)).build()));
        return JsonRpc.MAPPER.readTree(answer);
    }

    private static McpSyncClient client(String key, String endpoint, List<McpSchema.CreateMessageRequest> seen) {
        McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder(gateway.baseUri().toString()).endpoint(endpoint)
                        .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + key)).build())
                .requestTimeout(Duration.ofSeconds(30))
                .capabilities(McpSchema.ClientCapabilities.builder().sampling().build())
                .sampling(request -> {
                    seen.add(request);
                    return McpSchema.CreateMessageResult.builder(McpSchema.Role.ASSISTANT, "ok", "claude-sonnet").build();
                })
                .build();
        client.initialize();
        return client;
    }

    @Test
    void theClientSeesTheRequestFittedToTheRulesAndTheRateIsKept() throws Exception {
        List<McpSchema.CreateMessageRequest> seen = new CopyOnWriteArrayList<>();
        try (McpSyncClient client = client("acme", "/mcp", seen)) {
            assertThat(sample(client, 5000).path("result").path("content").path("text").asText()).isEqualTo("ok");
            McpSchema.CreateMessageRequest fitted = seen.getFirst();
            assertThat(fitted.maxTokens()).isEqualTo(100);
            assertThat(fitted.includeContext()).isEqualTo(McpSchema.CreateMessageRequest.ContextInclusionStrategy.NONE);
            assertThat(fitted.modelPreferences().hints()).extracting(McpSchema.ModelHint::name).containsExactly("claude-sonnet");

            assertThat(sample(client, 50).has("result")).isTrue();
            assertThat(seen.get(1).maxTokens()).as("within the limit, left as asked").isEqualTo(50);
            assertThat(sample(client, 50).has("result")).isTrue();

            JsonNode refused = sample(client, 50);
            assertThat(refused.path("error").path("message").asText()).isEqualTo("tenant 'acme' is over its 3 sampling requests per minute");
            assertThat(seen).as("the refused request never reached the client").hasSize(3);
        }
    }

    @Test
    void anAgentsRulesComeOnTopOfTheTenants() throws Exception {
        List<McpSchema.CreateMessageRequest> seen = new CopyOnWriteArrayList<>();
        try (McpSyncClient client = client("calm", "/agents/terse/mcp", seen)) {
            assertThat(sample(client, 5000).has("result")).isTrue();
            McpSchema.CreateMessageRequest fitted = seen.getFirst();
            assertThat(fitted.maxTokens()).as("the agent's 20 under the tenant's 100").isEqualTo(20);
            assertThat(fitted.includeContext()).as("the calm tenant allows context").isEqualTo(McpSchema.CreateMessageRequest.ContextInclusionStrategy.ALL_SERVERS);
            assertThat(fitted.modelPreferences().hints()).hasSize(2);
        }
    }
}
