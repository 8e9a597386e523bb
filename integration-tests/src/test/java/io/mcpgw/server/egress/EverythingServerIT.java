package io.mcpgw.server.egress;

import static io.mcpgw.server.ingress.McpClientITSupport.call;
import static io.mcpgw.server.ingress.McpClientITSupport.client;
import static io.mcpgw.server.ingress.McpClientITSupport.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.mcpgw.testkit.EverythingOverHttp;
import io.mcpgw.testkit.NpmPeers;
import io.mcpgw.testkit.TestingGateway;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code @modelcontextprotocol/server-everything}, the MCP reference server, behind the gateway over stdio, Streamable HTTP and the 2024-11-05 SSE transport. */
class EverythingServerIT {

    /** Calls whose results are deterministic, covering text, image, annotations, resource links and structured content. */
    private static final Map<String, Map<String, Object>> CALLS = Map.of(
            "echo", Map.of("message", "through the gateway"),
            "get-sum", Map.of("a", 19, "b", 23),
            "get-tiny-image", Map.of(),
            "get-annotated-message", Map.of("messageType", "success", "includeImage", true),
            "get-resource-links", Map.of("count", 4),
            "get-structured-content", Map.of("location", "Chicago"));

    @TempDir
    Path home;

    private static Path server;
    private static Path node;

    @BeforeAll
    static void findServer() {
        if (NpmPeers.everythingServer().isEmpty()) {
            if (NpmPeers.required()) {
                fail("CI=true but node or @modelcontextprotocol/server-everything is missing (testkit/npm)");
            }
            Assumptions.abort("node is not installed here; these tests run wherever it is, and always under CI");
        }
        server = NpmPeers.everythingServer().orElseThrow();
        node = NpmPeers.node().orElseThrow();
    }

    private static McpSyncClient direct(McpSyncClient client) {
        client.initialize();
        return client;
    }

    private void assertSameResults(McpSyncClient direct, McpSyncClient through, String prefix) {
        List<String> names = through.listTools().tools().stream().map(McpSchema.Tool::name).toList();
        assertThat(names).contains(prefix + "echo", prefix + "get-sum", prefix + "get-tiny-image");
        CALLS.forEach((tool, arguments) -> {
            McpSchema.CallToolResult expected = direct.callTool(call(tool, arguments));
            McpSchema.CallToolResult actual = through.callTool(call(prefix + tool, arguments));
            assertThat(actual).as(tool).isEqualTo(expected);
        });
        assertThat(through.listResources().resources()).extracting(McpSchema.Resource::uri).isNotEmpty()
                .containsExactlyElementsOf(direct.listResources().resources().stream().map(McpSchema.Resource::uri).toList());
        assertThat(through.listPrompts().prompts()).isNotEmpty();
    }

    private TestingGateway overStdioGateway() throws InterruptedException {
        return TestingGateway.start(home, """
                backends:
                  - id: everything
                    transport: stdio
                    command: ["%s", "%s", "stdio"]
                """.formatted(node, server)).awaitReady(Duration.ofSeconds(60));
    }

    @Test
    void overStdio() throws Exception {
        try (TestingGateway gateway = overStdioGateway();
                McpSyncClient through = client(gateway, "/mcp", tools -> { });
                McpSyncClient direct = direct(McpClient.sync(new StdioClientTransport(
                        ServerParameters.builder(node.toString()).args(server.toString(), "stdio").build(), McpJsonDefaults.getMapper()))
                        .requestTimeout(Duration.ofSeconds(30)).build())) {
            assertThat(gateway.gateway().backends().get("everything").state()).isEqualTo(BackendStatus.State.UP);
            assertSameResults(direct, through, "everything__");
        }
    }

    @Test
    void itsSamplingAndElicitationToolsReachTheClientThroughTheGateway() throws Exception {
        try (TestingGateway gateway = overStdioGateway()) {
            McpSyncClient client = spec(gateway, "/mcp")
                    .capabilities(McpSchema.ClientCapabilities.builder().sampling().elicitation().build())
                    .sampling(request -> McpSchema.CreateMessageResult.builder(McpSchema.Role.ASSISTANT,
                            "sampled: " + ((McpSchema.TextContent) request.messages().getFirst().content()).text(), "test-model").build())
                    .elicitation(request -> new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, Map.of("name", "Ada")))
                    .build();
            try (client) {
                client.initialize();
                String sampled = ((McpSchema.TextContent) client.callTool(call("everything__trigger-sampling-request",
                        Map.of("prompt", "through mcpgw", "maxTokens", 5))).content().getFirst()).text();
                assertThat(sampled).contains("sampled: Resource trigger-sampling-request context: through mcpgw").contains("test-model");

                List<McpSchema.Content> elicited = client.callTool(call("everything__trigger-elicitation-request", Map.of())).content();
                assertThat(elicited).extracting(content -> ((McpSchema.TextContent) content).text()).anySatisfy(text -> assertThat(text).contains("- Name: Ada"));
            }
        }
    }

    /** A gateway with server-everything as its one backend, {@code everything}, over an HTTP transport. */
    private TestingGateway behindGateway(String transport, String url) throws InterruptedException {
        return TestingGateway.start(home, """
                backends:
                  - id: everything
                    transport: %s
                    url: %s
                """.formatted(transport, url)).awaitReady(Duration.ofSeconds(60));
    }

    @Test
    void overStreamableHttp() throws Exception {
        try (EverythingOverHttp everything = new EverythingOverHttp(node, server, "streamableHttp", home.resolve("everything.log"));
                TestingGateway gateway = behindGateway("http", everything.url() + "/mcp");
                McpSyncClient through = client(gateway, "/servers/everything/mcp", tools -> { });
                McpSyncClient direct = direct(McpClient.sync(HttpClientStreamableHttpTransport.builder(everything.url()).endpoint("/mcp").build())
                        .requestTimeout(Duration.ofSeconds(30)).build())) {
            assertThat(gateway.gateway().backends().get("everything").state()).isEqualTo(BackendStatus.State.UP);
            assertSameResults(direct, through, "");
        }
    }

    /** The SDK deprecates its SSE client, as the spec does the transport; it is here to compare with the gateway. */
    @SuppressWarnings("deprecation")
    @Test
    void overLegacySse() throws Exception {
        try (EverythingOverHttp everything = new EverythingOverHttp(node, server, "sse", home.resolve("everything.log"));
                TestingGateway gateway = behindGateway("sse", everything.url() + "/sse");
                McpSyncClient through = client(gateway, "/servers/everything/mcp", tools -> { });
                McpSyncClient direct = direct(McpClient.sync(HttpClientSseClientTransport.builder(everything.url()).sseEndpoint("/sse").build())
                        .requestTimeout(Duration.ofSeconds(30)).build())) {
            assertThat(gateway.gateway().backends().get("everything").state()).isEqualTo(BackendStatus.State.UP);
            assertSameResults(direct, through, "");

            McpSyncClient asking = spec(gateway, "/mcp")
                    .capabilities(McpSchema.ClientCapabilities.builder().sampling().build())
                    .sampling(request -> McpSchema.CreateMessageResult.builder(McpSchema.Role.ASSISTANT, "sampled over sse", "sse-model").build())
                    .build();
            try (asking) {
                asking.initialize();
                String sampled = ((McpSchema.TextContent) asking.callTool(call("everything__trigger-sampling-request",
                        Map.of("prompt", "legacy", "maxTokens", 5))).content().getFirst()).text();
                assertThat(sampled).contains("sampled over sse").contains("sse-model");
            }
        }
    }
}
