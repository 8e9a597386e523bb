package io.mcpgw.server.egress;

import static io.mcpgw.server.ingress.McpClientITSupport.call;
import static io.mcpgw.server.ingress.McpClientITSupport.client;
import static io.mcpgw.server.ingress.McpClientITSupport.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mcpgw.server.demo.DemoBackend;
import io.mcpgw.testkit.JavaCommand;
import io.mcpgw.testkit.TestingConfig;
import io.mcpgw.testkit.TestingGateway;
import io.mcpgw.testkit.TestingHttpMcpBackend;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code http} transport against a real Streamable HTTP server: a second gateway, which serves its own
 * stdio backends at {@code /servers/<id>/mcp}.
 */
class HttpTransportIT {

    private static final Duration READY = Duration.ofSeconds(60);

    @TempDir
    Path home;

    private TestingGateway upstream() throws InterruptedException {
        return TestingConfig.gateway().demoAndTesting("hello").startReady(home.resolve("upstream"));
    }

    /** A gateway whose one backend, {@code remote}, is the upstream's endpoint {@code path}, over HTTP. */
    private TestingGateway front(TestingGateway upstream, String path) throws InterruptedException {
        return TestingGateway.start(home.resolve("front"), """
                backends:
                  - id: remote
                    transport: http
                    url: %s
                """.formatted(upstream.baseUri().resolve(path))).awaitReady(READY);
    }

    @Test
    void remoteBackendIsAggregatedAndCalledOverStreamableHttp() throws Exception {
        try (TestingGateway upstream = upstream();
                TestingGateway gateway = TestingGateway.start(home.resolve("front"), """
                        backends:
                          - id: remote
                            transport: http
                            url: %s
                          - id: local
                            transport: stdio
                            command: %s
                        """.formatted(upstream.baseUri().resolve("/servers/demo/mcp"), JavaCommand.yaml(DemoBackend.class)))
                        .awaitReady(READY);
                McpSyncClient client = client(gateway, "/mcp", tools -> { })) {
            assertThat(gateway.gateway().backends().get("remote").state()).isEqualTo(BackendStatus.State.UP);
            assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name)
                    .contains("remote__echo", "remote__add", "local__echo");
            assertThat(text(client.callTool(call("remote__add", Map.of("a", 1, "b", 2))))).isEqualTo("3");
            assertThat(((McpSchema.TextResourceContents) client.readResource(McpSchema.ReadResourceRequest.builder("demo://greeting")
                    .build()).contents().getFirst()).text()).isEqualTo("hello");
        }
    }

    @Test
    void answersOnAnSseStreamAreRead() throws Exception {
        try (TestingGateway upstream = upstream();
                TestingGateway gateway = front(upstream, "/servers/testing/mcp");
                McpSyncClient client = client(gateway, "/mcp", tools -> { })) {
            McpSchema.CallToolRequest withProgress = McpSchema.CallToolRequest.builder("remote__slow")
                    .arguments(Map.of("millis", 300)).progressToken("p-1").build();
            assertThat(text(client.callTool(withProgress))).isEqualTo("slept 300");
        }
    }

    @Test
    void listChangedFromAnHttpBackendReachesClients() throws Exception {
        try (TestingGateway upstream = upstream();
                TestingGateway gateway = front(upstream, "/servers/testing/mcp")) {
            List<List<String>> announced = new CopyOnWriteArrayList<>();
            try (McpSyncClient client = client(gateway, "/mcp", tools -> announced.add(tools.stream().map(McpSchema.Tool::name).toList()))) {
                client.callTool(call("remote__add_tool", Map.of("name", "over-http")));
                await().atMost(Duration.ofSeconds(30)).until(() -> announced.stream().anyMatch(names -> names.contains("remote__over-http")));
            }
        }
    }

    @Test
    void backendSessionThatEndsIsReinitialized() throws Exception {
        try (TestingGateway upstream = upstream();
                TestingGateway gateway = front(upstream, "/servers/demo/mcp");
                McpSyncClient client = client(gateway, "/mcp", tools -> { })) {
            assertThat(text(client.callTool(call("remote__echo", Map.of("text", "before"))))).isEqualTo("before");
            upstream.gateway().endSessions();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> text(client.callTool(call("remote__echo", Map.of("text", "after")))).equals("after"));
        }
    }

    @Test
    void streamClosedBeforeItsAnswerIsResumedWithLastEventId() throws Exception {
        try (TestingHttpMcpBackend backend = new TestingHttpMcpBackend();
                TestingGateway gateway = TestingGateway.start(home.resolve("front"), """
                        backends:
                          - id: remote
                            transport: http
                            url: %s
                        """.formatted(backend.uri())).awaitReady(READY);
                McpSyncClient client = client(gateway, "/mcp", tools -> { })) {
            assertThat(text(client.callTool(call("remote__echo", Map.of("text", "plain"))))).isEqualTo("plain");
            assertThat(text(client.callTool(call("remote__poll", Map.of("text", "later"))))).isEqualTo("polled later");
            assertThat(backend.resumptions()).isEqualTo(1);
        }
    }

    @Test
    void initializeAdvertisesOnlyWhatSomeBackendOffers() throws Exception {
        try (TestingHttpMcpBackend backend = new TestingHttpMcpBackend();
                TestingGateway gateway = TestingGateway.start(home.resolve("front"), """
                        backends:
                          - id: tools-only
                            transport: http
                            url: %s
                        """.formatted(backend.uri())).awaitReady(READY);
                McpSyncClient client = client(gateway, "/mcp", tools -> { })) {
            McpSchema.ServerCapabilities capabilities = client.getServerCapabilities();
            assertThat(capabilities.tools()).isNotNull();
            assertThat(capabilities.tools().listChanged()).isTrue();
            assertThat(capabilities.prompts()).isNull();
            assertThat(capabilities.resources()).isNull();
            assertThat(capabilities.completions()).isNull();
        }
    }

    @Test
    void unreachableHttpBackendFailsOpen() throws Exception {
        try (TestingGateway gateway = TestingGateway.start(home.resolve("front"), """
                backends:
                  - id: gone
                    transport: http
                    url: http://127.0.0.1:1/mcp
                    connectTimeout: 1s
                  - id: local
                    transport: stdio
                    command: %s
                """.formatted(JavaCommand.yaml(DemoBackend.class))).awaitReady(READY);
                McpSyncClient client = client(gateway, "/mcp", tools -> { })) {
            assertThat(gateway.gateway().backends().get("gone").state()).isEqualTo(BackendStatus.State.FAILED);
            assertThat(text(client.callTool(call("local__echo", Map.of("text", "fine"))))).isEqualTo("fine");
        }
    }
}
