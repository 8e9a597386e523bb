package io.mcpgw.server.egress;

import static io.mcpgw.server.ingress.McpClientITSupport.call;
import static io.mcpgw.server.ingress.McpClientITSupport.read;
import static io.mcpgw.server.ingress.McpClientITSupport.spec;
import static io.mcpgw.server.ingress.McpClientITSupport.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpgw.testkit.ModernServerOverHttp;
import io.mcpgw.testkit.NpmPeers;
import io.mcpgw.testkit.TestingGateway;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Legacy clients (the official Java SDK, 2025-11-25) through the gateway to backends written with the TypeScript SDK
 * v2 server that speak MCP 2026-07-28: one that speaks only that revision and one that speaks both eras (which the
 * gateway then uses in the modern one), over stdio and Streamable HTTP. The backend's {@code headers} tool tells which
 * {@code Mcp-*} headers and {@code _meta} it was called with, and the SDK itself refuses a request whose headers do
 * not match its body ({@code -32020}).
 */
class ModernBackendIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    private static Path node;
    private static Path script;

    @BeforeAll
    static void findServer() {
        if (NpmPeers.modernServer().isEmpty()) {
            if (NpmPeers.required()) {
                fail("CI=true but node or @modelcontextprotocol/server is missing (testkit/npm)");
            }
            Assumptions.abort("node is not installed here; these tests run wherever it is, and always under CI");
        }
        node = NpmPeers.node().orElseThrow();
        script = NpmPeers.modernServer().orElseThrow();
    }

    private TestingGateway overStdio(String era) throws InterruptedException {
        return overStdio(era, "auto");
    }

    private TestingGateway overStdio(String era, String protocol) throws InterruptedException {
        return TestingGateway.start(home, """
                backends:
                  - id: modern
                    transport: stdio
                    command: ["%s", "%s", "%s", "stdio"]
                    protocol: %s
                """.formatted(node, script, era, protocol)).awaitReady(Duration.ofSeconds(60));
    }

    private TestingGateway overHttp(String url) throws InterruptedException {
        return overHttp(url, "auto");
    }

    private TestingGateway overHttp(String url, String protocol) throws InterruptedException {
        return TestingGateway.start(home, """
                backends:
                  - id: modern
                    transport: http
                    url: %s
                    protocol: %s
                """.formatted(url, protocol)).awaitReady(Duration.ofSeconds(60));
    }

    /** A legacy client that declares sampling and elicitation, as many do. */
    private static McpSyncClient legacyClient(TestingGateway gateway) {
        McpSyncClient client = spec(gateway, "/mcp")
                .capabilities(McpSchema.ClientCapabilities.builder().sampling().elicitation().build())
                .sampling(request -> McpSchema.CreateMessageResult.builder(McpSchema.Role.ASSISTANT, "unused", "test-model").build())
                .elicitation(request -> new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.DECLINE, Map.of()))
                .build();
        client.initialize();
        return client;
    }

    /** What the backend's {@code headers} tool saw, called through the gateway with {@code region}. */
    private static JsonNode headersSeen(McpSyncClient client, String region) {
        McpSchema.CallToolResult result = client.callTool(call("modern__headers", Map.of("region", region, "query", "select 1")));
        assertThat(result.isError()).as(text(result)).isNotEqualTo(Boolean.TRUE);
        return JSON.valueToTree(result.structuredContent());
    }

    /** Tools, a call, a resource, a prompt and the backend's errors, as a legacy client sees them. */
    private static void servesALegacyClient(TestingGateway gateway, String era) {
        assertThat(gateway.gateway().backends().get("modern").state()).isEqualTo(BackendStatus.State.UP);
        assertThat(gateway.gateway().backends().get("modern").detail()).isEqualTo("modern-" + era + " 2.4.0 (MCP 2026-07-28)");
        try (McpSyncClient client = legacyClient(gateway)) {
            assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name)
                    .contains("modern__echo", "modern__headers", "modern__fail", "modern__die");
            assertThat(text(client.callTool(call("modern__echo", Map.of("text", "through the gateway")))))
                    .isEqualTo("modern: through the gateway");

            JsonNode meta = headersSeen(client, "eu-west").path("meta");
            assertThat(meta.path("io.modelcontextprotocol/protocolVersion").asText()).isEqualTo("2026-07-28");
            assertThat(meta.path("io.modelcontextprotocol/clientInfo").path("name").asText()).isEqualTo("mcpgw");
            // the client declared sampling and elicitation, which the gateway cannot yet relay to a modern backend
            assertThat(meta.path("io.modelcontextprotocol/clientCapabilities").has("sampling")).isFalse();
            assertThat(meta.path("io.modelcontextprotocol/clientCapabilities").has("elicitation")).isFalse();

            McpSchema.ReadResourceResult readme = client.readResource(read("test://modern/readme"));
            assertThat(((McpSchema.TextResourceContents) readme.contents().getFirst()).text()).isEqualTo("the " + era + " readme");

            McpSchema.GetPromptResult prompt = client.getPrompt(McpSchema.GetPromptRequest.builder("modern__greet")
                    .arguments(Map.of("name", "Ada")).build());
            assertThat(((McpSchema.TextContent) prompt.messages().getFirst().content()).text()).isEqualTo("Hello, Ada");

            McpSchema.CallToolResult failed = client.callTool(call("modern__fail", Map.of()));
            assertThat(failed.isError()).isTrue();
            assertThat(text(failed)).isEqualTo("it failed on purpose");

            assertThatThrownBy(() -> client.getPrompt(McpSchema.GetPromptRequest.builder("modern__greet").arguments(Map.of()).build()))
                    .isInstanceOf(McpError.class)
                    .satisfies(error -> assertThat(((McpError) error).getJsonRpcError().code()).isEqualTo(-32602));
        }
    }

    @Test
    void aModernOnlyBackendOverStdio() throws Exception {
        try (TestingGateway gateway = overStdio("modern")) {
            servesALegacyClient(gateway, "modern");
        }
    }

    @Test
    void aDualEraBackendOverStdioIsUsedInTheModernEraWhenTheOperatorSaysSo() throws Exception {
        try (TestingGateway gateway = overStdio("dual", "modern")) {
            servesALegacyClient(gateway, "dual");
        }
    }

    @Test
    void aModernOnlyBackendOverStreamableHttp() throws Exception {
        try (ModernServerOverHttp backend = new ModernServerOverHttp(node, script, "modern", home.resolve("modern.log"));
                TestingGateway gateway = overHttp(backend.url())) {
            servesALegacyClient(gateway, "modern");
        }
    }

    @Test
    void aDualEraBackendOverStreamableHttpIsUsedInTheModernEraWhenTheOperatorSaysSo() throws Exception {
        try (ModernServerOverHttp backend = new ModernServerOverHttp(node, script, "dual", home.resolve("dual.log"));
                TestingGateway gateway = overHttp(backend.url(), "modern")) {
            servesALegacyClient(gateway, "dual");
        }
    }

    /** Left to choose, the gateway speaks the legacy era to a dual-era backend: there it relays everything to it. */
    @Test
    void aDualEraBackendIsUsedInTheLegacyEraUnlessTheOperatorSaysModern() throws Exception {
        try (ModernServerOverHttp backend = new ModernServerOverHttp(node, script, "dual", home.resolve("dual-auto.log"));
                TestingGateway gateway = overHttp(backend.url());
                McpSyncClient client = legacyClient(gateway)) {
            assertThat(gateway.gateway().backends().get("modern").detail()).isEqualTo("modern-dual 2.4.0");
            assertThat(text(client.callTool(call("modern__echo", Map.of("text", "old style"))))).isEqualTo("legacy: old style");
        }
        try (TestingGateway gateway = overStdio("dual"); McpSyncClient client = legacyClient(gateway)) {
            assertThat(gateway.gateway().backends().get("modern").detail()).isEqualTo("modern-dual 2.4.0");
            assertThat(text(client.callTool(call("modern__echo", Map.of("text", "old style"))))).isEqualTo("legacy: old style");
        }
    }

    @Test
    void overHttpTheRequestHeadersMirrorTheBodyTheBackendKnows() throws Exception {
        try (ModernServerOverHttp backend = new ModernServerOverHttp(node, script, "modern", home.resolve("modern.log"));
                TestingGateway gateway = overHttp(backend.url());
                McpSyncClient client = legacyClient(gateway)) {
            JsonNode headers = headersSeen(client, "eu-west").path("headers");
            assertThat(headers.path("mcp-protocol-version").asText()).isEqualTo("2026-07-28");
            assertThat(headers.path("mcp-method").asText()).isEqualTo("tools/call");
            // the backend's own name for the tool, not the gateway's modern__headers
            assertThat(headers.path("mcp-name").asText()).isEqualTo("headers");
            assertThat(headers.path("mcp-param-region").asText()).isEqualTo("eu-west");
            assertThat(headers.has("mcp-session-id")).isFalse();

            // not a plain header value: the sentinel form, which the backend decodes and checks against the body
            String region = " Zürich ";
            assertThat(headersSeen(client, region).path("headers").path("mcp-param-region").asText())
                    .isEqualTo("=?base64?" + Base64.getEncoder().encodeToString(region.getBytes(StandardCharsets.UTF_8)) + "?=");
        }
    }

    @Test
    void overStdioABackendThatDiesIsAnErrorForTheCallAndStartedAgainForTheNext() throws Exception {
        try (TestingGateway gateway = overStdio("modern"); McpSyncClient client = legacyClient(gateway)) {
            assertThatThrownBy(() -> client.callTool(call("modern__die", Map.of())))
                    .isInstanceOf(McpError.class)
                    .satisfies(error -> assertThat(((McpError) error).getJsonRpcError().code()).isEqualTo(-32010));
            assertThat(text(client.callTool(call("modern__echo", Map.of("text", "again"))))).isEqualTo("modern: again");
        }
    }

    /** Waits, a bounded while, until the catalog has {@code tool}. */
    private static void awaitTool(McpSyncClient client, String tool) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (client.listTools().tools().stream().noneMatch(listed -> listed.name().equals(tool))) {
            if (System.nanoTime() > deadline) {
                fail(tool + " did not appear in tools/list within 20 s: " + client.listTools().tools().stream().map(McpSchema.Tool::name).toList());
            }
            Thread.sleep(100);
        }
    }

    @Test
    void overStdioAListChangeComesOnSubscriptionsListen() throws Exception {
        try (TestingGateway gateway = overStdio("modern"); McpSyncClient client = legacyClient(gateway)) {
            assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).doesNotContain("modern__grown");
            assertThat(text(client.callTool(call("modern__grow", Map.of())))).isEqualTo("grown");
            awaitTool(client, "modern__grown");
            assertThat(text(client.callTool(call("modern__grown", Map.of())))).isEqualTo("I grew");
        }
    }

    @Test
    void overHttpAListChangeComesOnSubscriptionsListen() throws Exception {
        try (ModernServerOverHttp backend = new ModernServerOverHttp(node, script, "modern", home.resolve("modern.log"));
                TestingGateway gateway = overHttp(backend.url());
                McpSyncClient client = legacyClient(gateway)) {
            assertThat(text(client.callTool(call("modern__grow", Map.of())))).isEqualTo("grown");
            awaitTool(client, "modern__grown");
            assertThat(text(client.callTool(call("modern__grown", Map.of())))).isEqualTo("I grew");
        }
    }

    /**
     * A gateway whose stdio backend {@code modern} is {@code first} until its process ends, then {@code then}: the
     * same configuration restarted as another version. One process at a time ({@code isolation: shared}).
     */
    private TestingGateway switching(String first, String then) throws InterruptedException {
        Path marker = home.resolve("started-once");
        String shell = "if [ -e '" + marker + "' ]; then exec " + then + "; fi; touch '" + marker + "'; exec " + first;
        return TestingGateway.start(home, """
                backends:
                  - id: modern
                    transport: stdio
                    command: ["sh", "-c", %s]
                    isolation: shared
                """.formatted(JSON.valueToTree(shell).toString())).awaitReady(Duration.ofSeconds(60));
    }

    private static String modernCommand() {
        return "'" + node + "' '" + script + "' modern stdio";
    }

    private static String legacyCommand() {
        return "'" + node + "' '" + NpmPeers.everythingServer().orElseThrow() + "' stdio";
    }

    /** Waits, a bounded while, until the backend is up again with a status detail that {@code matches}. */
    private static void awaitUp(TestingGateway gateway, Predicate<String> matches) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            BackendStatus status = gateway.gateway().backends().get("modern");
            if (status.state() == BackendStatus.State.UP && matches.test(status.detail())) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("the backend did not come back as expected within 30 s: " + status);
            }
            Thread.sleep(100);
        }
    }

    @Test
    void aModernBackendRestartedAsALegacyOneIsProbedAgainAndSpokenToInItsEra() throws Exception {
        try (TestingGateway gateway = switching(modernCommand(), legacyCommand()); McpSyncClient client = legacyClient(gateway)) {
            assertThat(gateway.gateway().backends().get("modern").detail()).endsWith("(MCP 2026-07-28)");
            assertThatThrownBy(() -> client.callTool(call("modern__die", Map.of()))).isInstanceOf(McpError.class);
            awaitUp(gateway, detail -> !detail.contains("2026-07-28"));
            awaitTool(client, "modern__get-sum");
            assertThat(text(client.callTool(call("modern__get-sum", Map.of("a", 19, "b", 23))))).contains("42");
        }
    }

    @Test
    void aLegacyBackendRestartedAsAModernOneIsProbedAgainAndSpokenToInItsEra() throws Exception {
        try (TestingGateway gateway = switching(legacyCommand(), modernCommand()); McpSyncClient client = legacyClient(gateway)) {
            assertThat(gateway.gateway().backends().get("modern").detail()).doesNotContain("2026-07-28");
            assertThat(text(client.callTool(call("modern__get-sum", Map.of("a", 1, "b", 2))))).contains("3");
            // the legacy child ends (the gateway runs in this JVM: the child is one of its descendants)
            ProcessHandle.current().descendants().filter(child -> child.info().commandLine().orElse("").contains("server-everything"))
                    .forEach(ProcessHandle::destroy);
            awaitUp(gateway, detail -> detail.endsWith("(MCP 2026-07-28)"));
            awaitTool(client, "modern__echo");
            assertThat(text(client.callTool(call("modern__echo", Map.of("text", "now modern"))))).isEqualTo("modern: now modern");
        }
    }

    @Test
    void aBackendAskingForInputReachesALegacyClientAsAClearError() throws Exception {
        try (TestingGateway gateway = overStdio("modern"); McpSyncClient client = legacyClient(gateway)) {
            assertThatThrownBy(() -> client.callTool(call("modern__ask", Map.of())))
                    .isInstanceOf(McpError.class)
                    .hasMessageContaining("backend 'modern' needs input from the client")
                    .hasMessageContaining("input_required")
                    .satisfies(error -> assertThat(((McpError) error).getJsonRpcError().code()).isEqualTo(-32012));
            // the connection serves on
            assertThat(text(client.callTool(call("modern__echo", Map.of("text", "still here"))))).isEqualTo("modern: still here");
        }
    }

    @Test
    void aToolWithAnInvalidHeaderMarkIsLeftOut() throws Exception {
        try (ModernServerOverHttp backend = new ModernServerOverHttp(node, script, "modern", home.resolve("modern.log"));
                TestingGateway gateway = overHttp(backend.url());
                McpSyncClient client = legacyClient(gateway)) {
            assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).contains("modern__echo").doesNotContain("modern__badheader");
        }
    }

    @Test
    void protocolLegacyKeepsADualEraBackendInTheLegacyEra() throws Exception {
        try (TestingGateway gateway = TestingGateway.start(home, """
                backends:
                  - id: modern
                    transport: stdio
                    command: ["%s", "%s", "dual", "stdio"]
                    protocol: legacy
                """.formatted(node, script)).awaitReady(Duration.ofSeconds(60));
                McpSyncClient client = legacyClient(gateway)) {
            assertThat(gateway.gateway().backends().get("modern").detail()).isEqualTo("modern-dual 2.4.0");
            assertThat(text(client.callTool(call("modern__echo", Map.of("text", "old style"))))).isEqualTo("legacy: old style");
        }
    }

    @Test
    void protocolModernFailsALegacyBackendAndSaysWhy() throws Exception {
        try (TestingGateway gateway = TestingGateway.start(home, """
                backends:
                  - id: modern
                    transport: stdio
                    command: ["%s", "%s", "stdio"]
                    protocol: modern
                """.formatted(node, NpmPeers.everythingServer().orElseThrow())).awaitReady(Duration.ofSeconds(60))) {
            BackendStatus status = gateway.gateway().backends().get("modern");
            assertThat(status.state()).isEqualTo(BackendStatus.State.FAILED);
            assertThat(status.detail()).startsWith("server/discover was refused");
        }
    }

    /** The pid of the process that serves each of two client sessions' calls, under {@code isolation}. */
    private Set<String> processesServing(String isolation) throws InterruptedException {
        try (TestingGateway gateway = TestingGateway.start(home, """
                backends:
                  - id: modern
                    transport: stdio
                    command: ["%s", "%s", "modern", "stdio"]
                    isolation: %s
                    maxProcesses: 3
                """.formatted(node, script, isolation)).awaitReady(Duration.ofSeconds(60));
                McpSyncClient one = legacyClient(gateway);
                McpSyncClient other = legacyClient(gateway)) {
            String first = text(one.callTool(call("modern__pid", Map.of())));
            assertThat(text(one.callTool(call("modern__pid", Map.of())))).isEqualTo(first);
            return new HashSet<>(List.of(first, text(other.callTool(call("modern__pid", Map.of())))));
        }
    }

    @Test
    void sessionIsolationGivesEachClientSessionAProcessOfItsOwn() throws Exception {
        assertThat(processesServing("session")).hasSize(2);
    }

    @Test
    void tenantIsolationGivesTheSessionsOfATenantOneProcess() throws Exception {
        assertThat(processesServing("tenant")).hasSize(1);
    }

    @Test
    void sessionsWhoseClientsCanBeAskedThingsShareAModernBackendsConnectionAtOnce() throws Exception {
        try (TestingGateway gateway = TestingGateway.start(home, """
                backends:
                  - id: modern
                    transport: stdio
                    command: ["%s", "%s", "modern", "stdio"]
                    isolation: shared
                """.formatted(node, script)).awaitReady(Duration.ofSeconds(60));
                McpSyncClient one = legacyClient(gateway);
                McpSyncClient other = legacyClient(gateway);
                ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            // both declared sampling: on a legacy backend the second call would wait for the first to end
            Future<String> first = callers.submit(() -> text(one.callTool(call("modern__meet", Map.of()))));
            Future<String> second = callers.submit(() -> text(other.callTool(call("modern__meet", Map.of()))));
            assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("met");
            assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo("met");
        }
    }

    @Test
    void overHttpABackendThatIsGoneIsAnErrorForTheCall() throws Exception {
        ModernServerOverHttp backend = new ModernServerOverHttp(node, script, "modern", home.resolve("modern.log"));
        try (TestingGateway gateway = overHttp(backend.url()); McpSyncClient client = legacyClient(gateway)) {
            assertThat(text(client.callTool(call("modern__echo", Map.of("text", "before"))))).isEqualTo("modern: before");
            backend.close();
            assertThatThrownBy(() -> client.callTool(call("modern__echo", Map.of("text", "after"))))
                    .isInstanceOf(McpError.class)
                    .satisfies(error -> assertThat(((McpError) error).getJsonRpcError().code()).isEqualTo(-32010));
        } finally {
            backend.close();
        }
    }
}
