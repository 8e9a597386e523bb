package io.mcpgw.server.governance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.server.ingress.RawWebSocket;
import io.mcpgw.testkit.RawMcp;
import io.mcpgw.testkit.TestingConfig;
import io.mcpgw.testkit.TestingGateway;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Agents: named views with what they use and their own halting limits, and tenants held to them. */
class AgentsIT {

    @TempDir
    static Path home;

    private static TestingGateway gateway;

    @BeforeAll
    static void startGateway() throws InterruptedException {
        gateway = TestingConfig.gateway()
                .apiKey("acme", "acme", "ci-bot").apiKey("bots", "bots", "runner")
                .tenant("acme").tenant("bots", "agents: [coder]")
                .demoAndTesting("hello")
                .yaml("""
                        agents:
                          - name: coder
                            uses: [demo, "testing__echo", "testing__ask"]
                            limits: { maxCalls: 5, maxDepth: 1 }
                          - name: reader
                            uses: ["testing__slow"]
                        limits:
                          maxDuration: 2s
                        """)
                .startReady(home);
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    private static List<String> tools(RawMcp client) {
        List<String> names = new ArrayList<>();
        client.request("tools/list", "{}").path("result").path("tools").forEach(tool -> names.add(tool.path("name").asText()));
        return names;
    }

    @Test
    void anAgentShowsWhatItUsesAndNothingElse() {
        RawMcp coder = new RawMcp(gateway, "acme", "/agents/coder/mcp").initialized();
        assertThat(tools(coder)).contains("demo__add", "demo__echo", "testing__echo", "testing__ask")
                .doesNotContain("testing__slow", "testing__crash");
        assertThat(coder.call("testing__slow", "{}").path("error").path("message").asText()).isEqualTo("Unknown tool: testing__slow");
        assertThat(coder.call("testing__echo", "{\"text\":\"hi\"}").path("result").path("content").get(0).path("text").asText()).isEqualTo("hi");

        assertThat(tools(new RawMcp(gateway, "acme", "/agents/reader/mcp").initialized())).containsExactly("testing__slow");
        assertThat(new RawMcp(gateway, "acme", "/agents/nobody/mcp").initialize().statusCode()).isEqualTo(404);
    }

    @Test
    void aTenantLimitedToAgentsReachesOnlyThose() {
        assertThat(new RawMcp(gateway, "bots", "/mcp").initialize().statusCode()).isEqualTo(404);
        assertThat(new RawMcp(gateway, "bots", "/servers/demo/mcp").initialize().statusCode()).isEqualTo(404);
        assertThat(new RawMcp(gateway, "bots", "/agents/reader/mcp").initialize().statusCode()).isEqualTo(404);
        assertThat(new RawMcp(gateway, "bots", "/agents/coder/mcp").initialize().statusCode()).isEqualTo(200);
    }

    @Test
    void maxCallsHaltsTheSessionForGood() {
        RawMcp coder = new RawMcp(gateway, "bots", "/agents/coder/mcp").initialized();
        for (int i = 0; i < 5; i++) {
            assertThat(coder.call("demo__add", "{\"a\":1,\"b\":" + i + "}").has("result")).isTrue();
        }
        for (int i = 0; i < 2; i++) {
            JsonNode halted = coder.call("demo__add", "{\"a\":1,\"b\":1}").path("error");
            assertThat(halted.path("code").asInt()).isEqualTo(-32008);
            assertThat(halted.path("message").asText()).isEqualTo("session halted: maxCalls (5 invocations) reached");
        }
        assertThat(new RawMcp(gateway, "bots", "/agents/coder/mcp").initialized().call("demo__add", "{\"a\":1,\"b\":1}").has("result"))
                .as("another session starts afresh").isTrue();
    }

    @Test
    void maxDurationFromTheGatewayWideLimits() throws Exception {
        RawMcp reader = new RawMcp(gateway, "acme", "/agents/reader/mcp").initialized();
        assertThat(reader.call("testing__slow", "{\"millis\":10}").has("result")).isTrue();
        Thread.sleep(2100);
        assertThat(reader.call("testing__slow", "{\"millis\":10}").path("error").path("message").asText())
                .isEqualTo("session halted: maxDuration (2s) reached");
    }

    @Test
    void aCallMadeWhileTheClientIsAskedSomethingIsNestedAndMaxDepthStopsIt() throws Exception {
        URI ws = URI.create(gateway.baseUri().toString().replaceFirst("^http", "ws") + "/agents/coder/ws");
        try (RawWebSocket socket = RawWebSocket.connect(ws, "Authorization", "Bearer acme")) {
            socket.send("""
                    {"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{"sampling":{}},
                     "clientInfo":{"name":"nested","version":"1"}}}""");
            assertThat(socket.next().has("result")).isTrue();
            socket.send("""
                    {"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"testing__ask","arguments":{"method":"sampling/createMessage",
                     "params":{"messages":[{"role":"user","content":{"type":"text","text":"hi"}}],"maxTokens":5}}}}""");
            JsonNode sampling = socket.next();
            assertThat(sampling.path("method").asText()).isEqualTo("sampling/createMessage");

            socket.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"demo__add\",\"arguments\":{\"a\":1,\"b\":1}}}");
            JsonNode nested = socket.next();
            assertThat(nested.path("id").asInt()).isEqualTo(2);
            assertThat(nested.path("error").path("message").asText()).isEqualTo("session halted: maxDepth (1 nested calls) passed");

            socket.send("{\"jsonrpc\":\"2.0\",\"id\":\"" + sampling.path("id").asText()
                    + "\",\"result\":{\"role\":\"assistant\",\"content\":{\"type\":\"text\",\"text\":\"ok\"},\"model\":\"m\"}}");
            assertThat(socket.next().path("id").asInt()).as("the outer call still completes").isEqualTo(1);
        }
    }
}
