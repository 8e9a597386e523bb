package io.mcpgw.server.ingress;

import static io.mcpgw.server.ingress.McpClientITSupport.call;
import static io.mcpgw.server.ingress.McpClientITSupport.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcpgw.testkit.JavaCommand;
import io.mcpgw.testkit.TestingConfig;
import io.mcpgw.testkit.TestingGateway;
import io.mcpgw.testkit.TestingMcpBackend;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The official MCP Java SDK as the client, through the gateway, against real stdio backends. */
class McpClientIT {

    @TempDir
    static Path home;

    private static TestingGateway gateway;

    @BeforeAll
    static void startGateway() throws InterruptedException {
        gateway = TestingConfig.gateway().demoAndTesting("good day").startReady(home);
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    private static McpSyncClient client(String endpoint) {
        return McpClientITSupport.client(gateway, endpoint, tools -> { });
    }

    @Test
    void listsEveryBackendsToolsWithStableNamespacedNames() {
        try (McpSyncClient client = client("/mcp")) {
            assertThat(client.getServerInfo().name()).isEqualTo("mcpgw");
            assertThat(client.getServerCapabilities().tools()).isNotNull();
            List<String> names = client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
            assertThat(names).containsExactly("demo__echo", "demo__add", "demo__time", "testing__echo", "testing__slow",
                    "testing__crash", "testing__garbage", "testing__add_tool", "testing__content", "testing__pid", "testing__env",
                    "testing__ask", "testing__progress", "testing__wait_for_cancel", "testing__cancelled", "testing__log", "testing__touch",
                    "testing__redefine", "testing__calls", "testing__mute");
            McpSchema.Tool add = client.listTools().tools().get(1);
            assertThat(add.inputSchema()).containsEntry("required", List.of("a", "b"));
        }
    }

    @Test
    void callsReachTheRightBackend() {
        try (McpSyncClient client = client("/mcp")) {
            McpSchema.CallToolResult sum = client.callTool(call("demo__add", Map.of("a", 2, "b", 40)));
            assertThat(((McpSchema.TextContent) sum.content().getFirst()).text()).isEqualTo("42");
            McpSchema.CallToolResult echo = client.callTool(call("testing__echo", Map.of("text", "héllo")));
            assertThat(((McpSchema.TextContent) echo.content().getFirst()).text()).isEqualTo("héllo");
        }
    }

    @Test
    void toolResultsThroughTheGatewayEqualDirectResultsForEveryContentType() {
        McpSchema.CallToolResult direct;
        List<String> command = JavaCommand.of(TestingMcpBackend.class);
        try (McpSyncClient client = McpClient.sync(new StdioClientTransport(
                        ServerParameters.builder(command.getFirst()).args(command.subList(1, command.size())).build(),
                        McpJsonDefaults.getMapper()))
                .requestTimeout(Duration.ofSeconds(30)).build()) {
            client.initialize();
            direct = client.callTool(call("content", Map.of()));
        }
        try (McpSyncClient client = client("/mcp")) {
            McpSchema.CallToolResult through = client.callTool(call("testing__content", Map.of()));
            assertThat(through).isEqualTo(direct);
            assertThat(through.content()).hasSize(5);
            assertThat(through.structuredContent()).isEqualTo(Map.of("answer", 42, "items", List.of(1, 2)));
            assertThat(through.meta()).containsEntry("test/trace", "abc");
        }
    }

    @Test
    void resourcesPromptsAndCompletionsAreRouted() {
        try (McpSyncClient client = client("/mcp")) {
            assertThat(client.listResources().resources()).extracting(McpSchema.Resource::uri)
                    .containsExactly("demo://greeting", "test://doc/1");
            McpSchema.ReadResourceResult greeting = client.readResource(read("demo://greeting"));
            assertThat(((McpSchema.TextResourceContents) greeting.contents().getFirst()).text()).isEqualTo("good day");
            McpSchema.ReadResourceResult templated = client.readResource(read("test://items/7"));
            assertThat(((McpSchema.TextResourceContents) templated.contents().getFirst()).text()).isEqualTo("content of test://items/7");
            assertThat(client.listResourceTemplates().resourceTemplates()).extracting(McpSchema.ResourceTemplate::uriTemplate)
                    .containsExactly("test://items/{id}");

            assertThat(client.listPrompts().prompts()).extracting(McpSchema.Prompt::name).containsExactly("demo__greet", "testing__review");
            McpSchema.GetPromptResult prompt = client.getPrompt(McpSchema.GetPromptRequest.builder("demo__greet").arguments(Map.of("name", "Ada")).build());
            assertThat(((McpSchema.TextContent) prompt.messages().getFirst().content()).text()).isEqualTo("Say good day to Ada.");

            McpSchema.CompleteResult completion = client.completeCompletion(McpSchema.CompleteRequest.builder(
                    new McpSchema.PromptReference("testing__review"), new McpSchema.CompleteRequest.CompleteArgument("file", "Main"))
                    .build());
            assertThat(completion.completion().values()).containsExactly("Main-completed");
        }
    }

    @Test
    void unknownToolsAndResourcesGiveSpecErrors() {
        try (McpSyncClient client = client("/mcp")) {
            assertThatThrownBy(() -> client.callTool(call("demo__nope", Map.of())))
                    .isInstanceOf(McpError.class)
                    .satisfies(error -> assertThat(((McpError) error).getJsonRpcError().code()).isEqualTo(-32602))
                    .hasMessageContaining("Unknown tool: demo__nope");
            assertThatThrownBy(() -> client.callTool(call("echo", Map.of())))
                    .isInstanceOf(McpError.class).hasMessageContaining("Unknown tool: echo");
            assertThatThrownBy(() -> client.readResource(read("nobody://x")))
                    .isInstanceOf(McpError.class)
                    .satisfies(error -> assertThat(((McpError) error).getJsonRpcError().code()).isEqualTo(-32002));
        }
    }

    @Test
    void oneBackendNativelyAtItsOwnEndpoint() {
        try (McpSyncClient client = client("/servers/testing/mcp")) {
            assertThat(client.getServerInfo().name()).isEqualTo("mcpgw/testing");
            assertThat(client.getServerInstructions()).isEqualTo("A backend for tests.");
            assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).contains("echo", "content").doesNotContain("demo__echo");
            McpSchema.CallToolResult echo = client.callTool(call("echo", Map.of("text", "native")));
            assertThat(((McpSchema.TextContent) echo.content().getFirst()).text()).isEqualTo("native");
            assertThatThrownBy(() -> client.callTool(call("add", Map.of("a", 1, "b", 2))))
                    .isInstanceOf(McpError.class).hasMessageContaining("Unknown tool: add");
        }
    }
}
