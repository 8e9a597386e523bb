package io.mcpgw.server.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.testkit.EverythingOverHttp;
import io.mcpgw.testkit.NpmPeers;
import io.mcpgw.testkit.TestingBackendConfig;
import io.mcpgw.testkit.TestingConfig;
import io.mcpgw.testkit.TestingGateway;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official TypeScript SDK v2 client ({@code @modelcontextprotocol/client} 2.4.0) pinned to MCP 2026-07-28,
 * through the gateway to the demo stdio backend and to server-everything over Streamable HTTP: it discovers, lists,
 * calls, reads and gets a prompt, each request checked by the gateway as a modern one (its headers among it).
 */
class ModernSdkClientIT {

    private static final long CLIENT_SECONDS = 60;

    @TempDir
    Path home;

    @BeforeAll
    static void findPeers() {
        if (NpmPeers.modernClient().isEmpty() || NpmPeers.everythingServer().isEmpty()) {
            if (NpmPeers.required()) {
                fail("CI=true but node, @modelcontextprotocol/client or server-everything is missing (testkit/npm)");
            }
            Assumptions.abort("node is not installed here; these tests run wherever it is, and always under CI");
        }
    }

    /** Runs the driver against {@code url} with {@code plan}; what it saw. */
    private static JsonNode drive(String url, String plan) throws IOException, InterruptedException {
        Process node = new ProcessBuilder(NpmPeers.node().orElseThrow().toString(), NpmPeers.modernClient().orElseThrow().toString(), url, plan)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            assertThat(node.waitFor(CLIENT_SECONDS, TimeUnit.SECONDS)).as("the SDK client finished").isTrue();
            String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(node.exitValue()).as(out).isZero();
            return JsonRpc.MAPPER.readTree(out.lines().reduce((first, last) -> last).orElseThrow());
        } finally {
            node.destroyForcibly();
        }
    }

    private static String text(JsonNode result) {
        return result.path("content").path(0).path("text").asText();
    }

    @Test
    void thePinnedClientUsesTheDemoStdioBackendThroughEveryKindOfEndpoint() throws Exception {
        try (TestingGateway gateway = TestingConfig.gateway().backend(TestingBackendConfig.demo("hello modern"))
                .yaml("""
                        agents:
                          - name: greeter
                            uses: [demo]
                        """).startReady(home)) {
            JsonNode aggregate = drive(gateway.baseUri() + "/mcp", """
                    {"tool":"demo__echo","arguments":{"text":"modern"},"uri":"demo://greeting","prompt":"demo__greet",
                     "promptArguments":{"name":"Ada"}}""");
            assertThat(aggregate.path("protocolVersion").asText()).isEqualTo("2026-07-28");
            assertThat(aggregate.path("server").path("name").asText()).isEqualTo("mcpgw");
            assertThat(aggregate.path("tools")).extracting(JsonNode::asText).containsExactly("demo__add", "demo__echo", "demo__time");
            assertThat(text(aggregate.path("call"))).isEqualTo("modern");
            assertThat(aggregate.path("read").path("contents").path(0).path("text").asText()).contains("hello modern");
            assertThat(aggregate.path("prompt").path("messages").path(0).path("content").path("text").asText()).contains("Ada");

            JsonNode single = drive(gateway.baseUri() + "/servers/demo/mcp", """
                    {"tool":"add","arguments":{"a":20,"b":22}}""");
            assertThat(single.path("server").path("name").asText()).isEqualTo("mcpgw/demo");
            assertThat(single.path("tools")).extracting(JsonNode::asText).containsExactly("add", "echo", "time");
            assertThat(text(single.path("call"))).isEqualTo("42");

            JsonNode agent = drive(gateway.baseUri() + "/agents/greeter/mcp", """
                    {"tool":"demo__echo","arguments":{"text":"via agent"}}""");
            assertThat(text(agent.path("call"))).isEqualTo("via agent");
        }
    }

    @Test
    void thePinnedClientUsesServerEverythingOverHttpThroughTheGateway() throws Exception {
        try (EverythingOverHttp everything = new EverythingOverHttp(NpmPeers.node().orElseThrow(), NpmPeers.everythingServer().orElseThrow(),
                "streamableHttp", home.resolve("everything.log"));
                TestingGateway gateway = TestingGateway.start(home, """
                        backends:
                          - id: everything
                            transport: http
                            url: %s/mcp
                        """.formatted(everything.url())).awaitReady(Duration.ofSeconds(60))) {
            JsonNode seen = drive(gateway.baseUri() + "/servers/everything/mcp", """
                    {"tool":"echo","arguments":{"message":"through mcpgw"},"uri":"demo://resource/dynamic/text/1","prompt":"simple-prompt"}""");
            assertThat(seen.path("protocolVersion").asText()).isEqualTo("2026-07-28");
            assertThat(seen.path("server").path("name").asText()).isEqualTo("mcpgw/everything");
            assertThat(seen.path("tools")).extracting(JsonNode::asText).contains("echo", "get-sum").isSorted();
            assertThat(text(seen.path("call"))).contains("through mcpgw");
            assertThat(seen.path("read").path("contents").path(0).path("uri").asText()).isEqualTo("demo://resource/dynamic/text/1");
            assertThat(seen.path("prompt").path("messages").isEmpty()).isFalse();
        }
    }

    @Test
    void thePinnedClientHearsOfAToolListChangeThroughItsListenStream() throws Exception {
        try (TestingGateway gateway = TestingConfig.gateway().backend(TestingBackendConfig.testing().shared()).startReady(home)) {
            JsonNode seen = drive(gateway.baseUri() + "/mcp", """
                    {"tool":"testing__add_tool","arguments":{"name":"sdk_grown"},"listen":{"toolsListChanged":true}}""");
            assertThat(seen.path("honoredFilter").path("toolsListChanged").asBoolean()).as(seen.toString()).isTrue();
            assertThat(seen.path("tools")).extracting(JsonNode::asText).doesNotContain("testing__sdk_grown");
            assertThat(text(seen.path("call"))).isEqualTo("added");
            assertThat(seen.path("listChanged").path("method").asText()).as(seen.toString()).isEqualTo("notifications/tools/list_changed");
            assertThat(seen.path("toolsAfter")).extracting(JsonNode::asText).contains("testing__sdk_grown");
        }
    }
}
