package io.mcpgw.server.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.testkit.ModernMcp;
import io.mcpgw.testkit.RawMcp;
import io.mcpgw.testkit.TestingBackendConfig;
import io.mcpgw.testkit.TestingConfig;
import io.mcpgw.testkit.TestingGateway;
import io.mcpgw.testkit.TestingMcpBackend;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The modern era (MCP 2026-07-28) on the Streamable HTTP endpoints, beside the legacy one, checked with raw HTTP:
 * classification, {@code server/discover}, the modern result fields, every new error with its status, the mirrored
 * headers, per-request log level, progress, cancellation by closing the stream, governance without sessions.
 */
class ModernHttpIT {

    @TempDir
    static Path home;

    private static TestingGateway gateway;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startGateway() throws InterruptedException {
        gateway = TestingConfig.gateway()
                .apiKey("open-1", "open", "bot-1").apiKey("open-2", "open", "bot-2").apiKey("globex", "globex", "ops")
                .apiKey("stranger", "initech", "x")
                .tenant("open").tenant("globex", "backends: [demo]")
                .backend(TestingBackendConfig.demo("hello").shared())
                .backend(TestingBackendConfig.stdio("testing", TestingMcpBackend.class, "--headers"))
                .yaml("""
                        audit:
                          - type: file
                            path: modern-trail.ndjson
                        agents:
                          - name: coder
                            uses: [demo, "testing__echo"]
                            limits: { maxCalls: 3 }
                          - name: brief
                            uses: [demo]
                            limits: { maxCalls: 1, maxDuration: 2s }
                        """)
                .startReady(home);
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    private static ModernMcp client(String endpoint) {
        return new ModernMcp(gateway, "open-1", endpoint);
    }

    private static List<String> names(JsonNode items) {
        List<String> names = new ArrayList<>();
        items.forEach(item -> names.add(item.path("name").asText()));
        return names;
    }

    private static String base64(String text) {
        return "=?base64?" + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    private static void assertRefused(ModernMcp.Answer answer, int status, int code, Object id) {
        assertThat(answer.status()).as(answer.response().toString()).isEqualTo(status);
        assertThat(answer.error().path("code").asInt()).as(answer.response().toString()).isEqualTo(code);
        assertThat(answer.response().path("id").asText()).isEqualTo(id.toString());
    }

    @Test
    void discoverDescribesEachEndpointForItsPrincipal() {
        ModernMcp.Answer aggregate = client("/mcp").request("server/discover", "{}");
        assertThat(aggregate.status()).isEqualTo(200);
        assertThat(aggregate.headers().firstValue("Mcp-Session-Id")).isEmpty();
        JsonNode result = aggregate.result();
        assertThat(result.path("resultType").asText()).isEqualTo("complete");
        assertThat(result.path("supportedVersions")).extracting(JsonNode::asText)
                .containsExactly("2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26");
        assertThat(result.path("capabilities").has("tools")).isTrue();
        assertThat(result.path("capabilities").has("prompts")).isTrue();
        assertThat(result.path("capabilities").has("resources")).isTrue();
        assertThat(result.path("capabilities").has("tasks")).as("tasks are an extension in 2026-07-28").isFalse();
        assertThat(result.path("_meta").path("io.modelcontextprotocol/serverInfo").path("name").asText()).isEqualTo("mcpgw");
        assertThat(result.path("ttlMs").asLong()).isEqualTo(60_000);
        assertThat(result.path("cacheScope").asText()).isEqualTo("public");

        JsonNode single = client("/servers/testing/mcp").request("server/discover", "{}").result();
        assertThat(single.path("_meta").path("io.modelcontextprotocol/serverInfo").path("name").asText()).isEqualTo("mcpgw/testing");
        assertThat(single.path("instructions").asText()).isEqualTo("A backend for tests.");

        assertThat(client("/agents/coder/mcp").request("server/discover", "{}").result().path("cacheScope").asText()).isEqualTo("private");
        JsonNode granted = new ModernMcp(gateway, "globex", "/mcp").request("server/discover", "{}").result();
        assertThat(granted.path("cacheScope").asText()).as("a view narrowed by the tenant's grants").isEqualTo("private");
    }

    @Test
    void aModernRequestNeedsNoSessionAndIgnoresOne() {
        ModernMcp.Answer listed = client("/mcp").request("tools/list", "{}", Map.of("Mcp-Session-Id", "no-such-session"));
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.headers().firstValue("Mcp-Session-Id")).isEmpty();
        JsonNode result = listed.result();
        assertThat(result.path("resultType").asText()).isEqualTo("complete");
        assertThat(result.path("_meta").path("io.modelcontextprotocol/serverInfo").path("name").asText()).isEqualTo("mcpgw");
        assertThat(result.path("ttlMs").asLong()).isEqualTo(60_000);
        assertThat(result.path("cacheScope").asText()).isEqualTo("public");
        List<String> tools = names(result.path("tools"));
        assertThat(tools).contains("demo__echo", "testing__headed").isSorted();
        assertThat(client("/mcp").request("tools/list", "{}").result().path("tools")).isEqualTo(result.path("tools"));
        for (String list : List.of("prompts/list", "resources/list", "resources/templates/list")) {
            JsonNode page = client("/mcp").request(list, "{}").result();
            assertThat(page.path("cacheScope").asText()).as(list).isEqualTo("public");
            assertThat(page.path("ttlMs").isIntegralNumber()).as(list).isTrue();
            assertThat(page.path("resultType").asText()).as(list).isEqualTo("complete");
        }
        assertThat(client("/agents/coder/mcp").request("tools/list", "{}").result().path("cacheScope").asText()).isEqualTo("private");
        assertThat(new ModernMcp(gateway, "globex", "/mcp").request("tools/list", "{}").result().path("cacheScope").asText())
                .isEqualTo("private");
    }

    @Test
    void theLegacyEraKeepsItsSessionsOnTheSameEndpoint() {
        RawMcp legacy = new RawMcp(gateway, "open-1", "/mcp").initialized();
        assertThat(legacy.sessionId()).isNotEmpty();
        JsonNode result = legacy.request("tools/list", "{}").path("result");
        assertThat(result.has("resultType")).isFalse();
        assertThat(result.has("ttlMs")).isFalse();
        assertThat(names(result.path("tools")).getFirst()).as("the backends' own order").isEqualTo("demo__echo");
        assertThat(legacy.request("ping", "{}").has("result")).isTrue();
        assertThat(legacy.request("resources/read", "{\"uri\":\"demo://nope\"}").path("error").path("code").asInt()).isEqualTo(-32002);
        assertThat(legacy.request("server/discover", "{}").path("error").path("code").asInt()).isEqualTo(-32601);
        assertThat(legacy.delete()).isEqualTo(204);

        ModernMcp.Answer sessionless = new ModernMcp(gateway, "open-1", "/mcp").send(JsonRpc.MAPPER.createObjectNode().put("jsonrpc", "2.0")
                .put("id", "legacy-7").put("method", "tools/list"), "tools/list", Map.of("MCP-Protocol-Version", "2025-11-25"));
        assertThat(sessionless.status()).as("a legacy request without its session").isEqualTo(400);
        assertThat(sessionless.response().path("id").asText()).as("the refusal names the request").isEqualTo("legacy-7");
    }

    @Test
    void aModernNotificationIsAcceptedAndAResponseRefused() {
        ModernMcp client = client("/mcp");
        ModernMcp.Answer notification = client.send(client.body(1, "notifications/cancelled",
                "{\"requestId\":1}").without("id"), "notifications/cancelled", Map.of());
        assertThat(notification.status()).isEqualTo(202);
        assertThat(notification.messages()).isEmpty();
        ModernMcp.Answer response = client.send(JsonRpc.MAPPER.createObjectNode()
                .put("jsonrpc", "2.0").put("id", 3).set("result", JsonRpc.MAPPER.createObjectNode()), "tools/list", Map.of());
        assertThat(response.status()).isEqualTo(400);
    }

    @Test
    void callsReadsAndPromptsCarryTheModernFields() {
        ModernMcp client = client("/mcp");
        JsonNode called = client.call("demo__echo", "{\"text\":\"hi\"}").result();
        assertThat(called.path("content").path(0).path("text").asText()).isEqualTo("hi");
        assertThat(called.path("resultType").asText()).isEqualTo("complete");
        assertThat(called.path("_meta").path("io.modelcontextprotocol/serverInfo").path("name").asText()).isEqualTo("mcpgw");

        JsonNode read = client.request("resources/read", "{\"uri\":\"demo://greeting\"}").result();
        assertThat(read.path("contents").path(0).path("text").asText()).contains("hello");
        assertThat(read.path("ttlMs").asLong()).isZero();
        assertThat(read.path("cacheScope").asText()).isEqualTo("private");

        JsonNode prompt = client.request("prompts/get", "{\"name\":\"demo__greet\",\"arguments\":{\"name\":\"Ada\"}}").result();
        assertThat(prompt.path("messages").isArray()).isTrue();
        assertThat(prompt.path("resultType").asText()).isEqualTo("complete");

        ModernMcp.Answer missing = client.request("resources/read", "{\"uri\":\"demo://nope\"}");
        assertThat(missing.status()).isEqualTo(200);
        assertThat(missing.error().path("code").asInt()).as("resource not found is -32602 in 2026-07-28").isEqualTo(-32602);
        assertThat(missing.error().path("data").path("uri").asText()).as("naming the URI (SEP-2164)").isEqualTo("demo://nope");
        assertThat(missing.response().path("id").isIntegralNumber()).isTrue();
    }

    @Test
    void anUnsupportedRevisionIsRefusedWithTheSupportedOnes() {
        ModernMcp client = client("/mcp");
        ModernMcp.Answer future = client.request("tools/list", "{\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2099-01-01\"}}");
        assertRefused(future, 400, -32022, future.response().path("id").asInt());
        assertThat(future.response().path("id").isNull()).isFalse();
        assertThat(future.error().path("data").path("supported")).extracting(JsonNode::asText).contains("2026-07-28", "2025-11-25");
        assertThat(future.error().path("data").path("requested").asText()).isEqualTo("2099-01-01");

        ModernMcp.Answer legacyInMeta = client.request("tools/list", "{\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2025-11-25\"}}");
        assertThat(legacyInMeta.status()).isEqualTo(400);
        assertThat(legacyInMeta.error().path("code").asInt()).isEqualTo(-32022);

        ModernMcp.Answer headerSaysOther = client.request("tools/list", "{\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2099-01-01\"}}",
                Map.of("MCP-Protocol-Version", "2026-07-28"));
        assertThat(headerSaysOther.status()).isEqualTo(400);
        assertThat(headerSaysOther.error().path("code").asInt()).as("a header that is not the body's revision is a mismatch first")
                .isEqualTo(-32020);
    }

    @Test
    void requiredMetaFieldsAreInvalidParams() {
        ModernMcp client = client("/mcp");
        ModernMcp.Answer noCapabilities = client.request("tools/list", "{\"_meta\":{\"io.modelcontextprotocol/clientCapabilities\":null}}");
        assertRefused(noCapabilities, 400, -32602, noCapabilities.response().path("id").asInt());
        assertThat(noCapabilities.error().path("message").asText()).contains("clientCapabilities");

        ModernMcp.Answer headerOnly = client.send(JsonRpc.MAPPER.createObjectNode().put("jsonrpc", "2.0").put("id", 77).put("method", "tools/list"),
                "tools/list", Map.of("MCP-Protocol-Version", "2026-07-28"));
        assertRefused(headerOnly, 400, -32602, 77);

        ModernMcp.Answer badLevel = client.request("tools/list", "{\"_meta\":{\"io.modelcontextprotocol/logLevel\":\"loud\"}}");
        assertThat(badLevel.error().path("code").asInt()).isEqualTo(-32602);
    }

    @Test
    void standardHeadersMustMatchTheBody() {
        ModernMcp client = client("/mcp");
        Map<String, Map<String, String>> wrong = new HashMap<>();
        wrong.put("no MCP-Protocol-Version", nulled("MCP-Protocol-Version"));
        wrong.put("another MCP-Protocol-Version", Map.of("MCP-Protocol-Version", "2025-11-25"));
        wrong.put("no Mcp-Method", nulled("Mcp-Method"));
        wrong.put("another Mcp-Method", Map.of("Mcp-Method", "tools/list"));
        wrong.put("no Mcp-Name", nulled("Mcp-Name"));
        wrong.put("another Mcp-Name", Map.of("Mcp-Name", "demo__add"));
        wrong.put("another Mcp-Name in base64", Map.of("Mcp-Name", base64("demo__add")));
        wrong.put("broken base64", Map.of("Mcp-Name", "=?base64?***?="));
        wrong.forEach((what, overrides) -> {
            ModernMcp.Answer refused = client.send(client.body(5, "tools/call", "{\"name\":\"demo__echo\",\"arguments\":{\"text\":\"x\"}}"),
                    "tools/call", overrides);
            assertThat(refused.status()).as(what).isEqualTo(400);
            assertThat(refused.error().path("code").asInt()).as(what).isEqualTo(-32020);
            assertThat(refused.response().path("id").asInt()).as(what).isEqualTo(5);
        });
        ModernMcp.Answer encoded = client.send(client.body(6, "tools/call", "{\"name\":\"demo__echo\",\"arguments\":{\"text\":\"x\"}}"),
                "tools/call", Map.of("Mcp-Name", base64("demo__echo")));
        assertThat(encoded.result().path("content").path(0).path("text").asText()).isEqualTo("x");

        ModernMcp.Answer readName = client.send(client.body(7, "resources/read", "{\"uri\":\"demo://greeting\"}"), "resources/read",
                Map.of("Mcp-Name", "demo://other"));
        assertRefused(readName, 400, -32020, 7);
        ModernMcp.Answer promptName = client.send(client.body(8, "prompts/get", "{\"name\":\"demo__greet\"}"), "prompts/get",
                nulled("Mcp-Name"));
        assertRefused(promptName, 400, -32020, 8);
    }

    private static Map<String, String> nulled(String header) {
        Map<String, String> overrides = new HashMap<>();
        overrides.put(header, null);
        return overrides;
    }

    @Test
    void toolParametersMarkedForHeadersMustMatchTheArguments() {
        ModernMcp client = client("/mcp");
        String arguments = "{\"name\":\"testing__headed\",\"arguments\":{\"region\":\"eu-west1\",\"priority\":42,"
                + "\"options\":{\"dryRun\":true},\"query\":\"select 1\"}}";
        Map<String, String> right = Map.of("Mcp-Param-Region", "eu-west1", "Mcp-Param-Priority", "42.0", "Mcp-Param-Dry-Run", "true");
        ModernMcp.Answer served = client.send(client.body(1, "tools/call", arguments), "tools/call", right);
        assertThat(served.status()).as(served.response().toString()).isEqualTo(200);
        assertThat(served.result().path("content").path(0).path("text").asText()).contains("eu-west1");

        ModernMcp.Answer lowerCase = client.send(client.body(2, "tools/call", arguments), "tools/call",
                Map.of("mcp-param-region", base64("eu-west1"), "MCP-PARAM-PRIORITY", "42", "mcp-param-dry-run", "true"));
        assertThat(lowerCase.status()).as("names are case-insensitive; values may be base64").isEqualTo(200);

        Map<String, Map<String, String>> wrong = new HashMap<>();
        wrong.put("no Region", Map.of("Mcp-Param-Priority", "42", "Mcp-Param-Dry-Run", "true"));
        wrong.put("another Region", Map.of("Mcp-Param-Region", "us-east1", "Mcp-Param-Priority", "42", "Mcp-Param-Dry-Run", "true"));
        wrong.put("another Priority", Map.of("Mcp-Param-Region", "eu-west1", "Mcp-Param-Priority", "43", "Mcp-Param-Dry-Run", "true"));
        wrong.put("a nested boolean that differs", Map.of("Mcp-Param-Region", "eu-west1", "Mcp-Param-Priority", "42", "Mcp-Param-Dry-Run", "false"));
        wrong.forEach((what, overrides) -> {
            ModernMcp.Answer refused = client.send(client.body(3, "tools/call", arguments), "tools/call", overrides);
            assertThat(refused.status()).as(what).isEqualTo(400);
            assertThat(refused.error().path("code").asInt()).as(what).isEqualTo(-32020);
            assertThat(refused.error().path("message").asText()).as(what).contains("Mcp-Param-");
        });

        ModernMcp.Answer partial = client.send(client.body(4, "tools/call", "{\"name\":\"testing__headed\",\"arguments\":{\"query\":\"q\"}}"),
                "tools/call", Map.of());
        assertThat(partial.status()).as("no value, no header expected").isEqualTo(200);
        ModernMcp.Answer headerWithoutValue = client.send(client.body(5, "tools/call",
                "{\"name\":\"testing__headed\",\"arguments\":{\"query\":\"q\"}}"), "tools/call", Map.of("Mcp-Param-Region", "eu-west1"));
        assertRefused(headerWithoutValue, 400, -32020, 5);
        ModernMcp.Answer unknownParamHeader = client.send(client.body(6, "tools/call", "{\"name\":\"demo__echo\",\"arguments\":{\"text\":\"t\"}}"),
                "tools/call", Map.of("Mcp-Param-Other", "ignored"));
        assertThat(unknownParamHeader.status()).as("an Mcp-Param header no parameter is marked for is ignored").isEqualTo(200);
    }

    @Test
    void methodsTheModernEraDoesNotHaveAreNotFound() {
        ModernMcp client = client("/mcp");
        for (String method : List.of("no/such-method", "ping", "logging/setLevel", "resources/subscribe", "resources/unsubscribe",
                "tasks/list", "tasks/result", "initialize")) {
            ModernMcp.Answer refused = client.send(client.body(9, method, "{}"), method, Map.of());
            assertThat(refused.status()).as(method).isEqualTo(404);
            assertThat(refused.error().path("code").asInt()).as(method).isEqualTo(-32601);
            assertThat(refused.response().path("id").asInt()).as(method).isEqualTo(9);
        }
    }

    @Test
    void getAndDeleteOfTheModernEraAreNotAllowed() throws Exception {
        for (String method : List.of("GET", "DELETE")) {
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(gateway.baseUri().resolve("/mcp"))
                    .header("Authorization", "Bearer open-1").header("Accept", "text/event-stream")
                    .header("MCP-Protocol-Version", "2026-07-28").method(method, HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as(method).isEqualTo(405);
            assertThat(refused.headers().firstValue("Allow")).as(method).contains("POST");
        }
    }

    @Test
    void identityAndGrantsApplyWithoutSessions() {
        ModernMcp.Answer anonymous = new ModernMcp(gateway, null, "/mcp").request("tools/list", "{}");
        assertThat(anonymous.status()).isEqualTo(401);
        ModernMcp.Answer stranger = new ModernMcp(gateway, "stranger", "/mcp").request("tools/list", "{}");
        assertThat(stranger.status()).as("refused at the door, before its body is read").isEqualTo(403);
        assertThat(stranger.error().path("code").asInt()).isEqualTo(-32006);
        assertThat(stranger.error().path("message").asText()).contains("initech");

        ModernMcp globex = new ModernMcp(gateway, "globex", "/mcp");
        assertThat(names(globex.request("tools/list", "{}").result().path("tools"))).isNotEmpty().allMatch(name -> name.startsWith("demo__"));
        assertThat(globex.call("testing__echo", "{\"text\":\"x\"}").error().path("code").asInt()).isEqualTo(-32602);
    }

    @Test
    void aModernCallIsAuditedAsALegacyOneIs() {
        ModernMcp client = new ModernMcp(gateway, "open-2", "/mcp");
        ModernMcp.Answer called = client.send(client.body(991, "tools/call", "{\"name\":\"demo__echo\",\"arguments\":{\"text\":\"audited\"}}"),
                "tools/call", Map.of());
        assertThat(called.result().path("content").path(0).path("text").asText()).isEqualTo("audited");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> trail().stream()
                .anyMatch(event -> event.path("requestId").asText().equals("991") && event.path("type").asText().startsWith("invocation")
                        && event.path("type").asText().contains("complete") && event.path("tenant").asText().equals("open")
                        && event.path("client").asText().equals("bot-2") && event.path("backend").asText().equals("demo")));
    }

    /** The audit trail's events so far. */
    private static List<JsonNode> trail() throws IOException {
        List<JsonNode> events = new ArrayList<>();
        try (Stream<Path> files = Files.walk(home)) {
            Path file = files.filter(path -> path.getFileName().toString().equals("modern-trail.ndjson")).findFirst().orElse(null);
            if (file != null) {
                for (String line : Files.readAllLines(file)) {
                    events.add(JsonRpc.MAPPER.readTree(line));
                }
            }
        }
        return events;
    }

    @Test
    void haltingLimitsCountPerPrincipalAndCorrelation() {
        ModernMcp first = new ModernMcp(gateway, "open-2", "/agents/coder/mcp");
        String correlated = "{\"name\":\"demo__echo\",\"arguments\":{\"text\":\"x\"},\"_meta\":{\"io.mcpgw/correlation\":\"run-%s\"}}";
        for (int i = 0; i < 3; i++) {
            assertThat(first.request("tools/call", correlated.formatted("a")).result().path("content").path(0).path("text").asText())
                    .isEqualTo("x");
        }
        ModernMcp.Answer halted = first.request("tools/call", correlated.formatted("a"));
        assertThat(halted.error().path("code").asInt()).isEqualTo(-32008);
        assertThat(halted.error().path("message").asText()).contains("maxCalls");
        assertThat(first.request("tools/call", correlated.formatted("a")).error().path("code").asInt()).as("stays halted").isEqualTo(-32008);
        assertThat(first.request("tools/call", correlated.formatted("b")).result().path("content").path(0).path("text").asText())
                .as("another correlation counts apart").isEqualTo("x");
        assertThat(first.call("demo__echo", "{\"text\":\"y\"}").result().path("content").path(0).path("text").asText())
                .as("no correlation: the principal's own count at the endpoint").isEqualTo("y");
        assertThat(new ModernMcp(gateway, "open-1", "/agents/coder/mcp").request("tools/call", correlated.formatted("a")).result()
                .path("content").path(0).path("text").asText()).as("another principal counts apart").isEqualTo("x");
    }

    @Test
    void aSessionlessKeysCountsLastOneWindow() {
        ModernMcp client = new ModernMcp(gateway, "open-2", "/agents/brief/mcp");
        assertThat(client.call("demo__echo", "{\"text\":\"1\"}").result().path("content").path(0).path("text").asText()).isEqualTo("1");
        long windowStart = System.nanoTime();
        assertThat(client.call("demo__echo", "{\"text\":\"2\"}").error().path("code").asInt()).isEqualTo(-32008);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).until(() -> client.call("demo__echo", "{\"text\":\"3\"}")
                .result().path("content").path(0).path("text").asText().equals("3"));
        assertThat(Duration.ofNanos(System.nanoTime() - windowStart)).as("not before the window (maxDuration) ended")
                .isGreaterThan(Duration.ofMillis(1500));
    }

    @Test
    void logMessagesComeOnlyAtTheLevelTheRequestAsks() {
        ModernMcp client = client("/mcp");
        ModernMcp.Answer silent = client.call("testing__log", "{\"level\":\"warning\",\"text\":\"unasked\"}");
        assertThat(silent.messages()).hasSize(1);
        assertThat(silent.result().path("content").path(0).path("text").asText()).isEqualTo("logged");

        ModernMcp.Answer heard = client.request("tools/call", """
                {"name":"testing__log","arguments":{"level":"warning","text":"asked"},"_meta":{"io.modelcontextprotocol/logLevel":"info"}}""");
        assertThat(heard.streamed()).isTrue();
        assertThat(heard.messages()).hasSize(2);
        assertThat(heard.messages().getFirst().path("method").asText()).isEqualTo("notifications/message");
        assertThat(heard.messages().getFirst().path("params").path("data").asText()).isEqualTo("asked");
        assertThat(heard.result().path("resultType").asText()).isEqualTo("complete");

        ModernMcp.Answer below = client.request("tools/call", """
                {"name":"testing__log","arguments":{"level":"info","text":"too low"},"_meta":{"io.modelcontextprotocol/logLevel":"error"}}""");
        assertThat(below.messages()).extracting(message -> message.path("method").asText()).doesNotContain("notifications/message");
    }

    @Test
    void progressComesOnTheRequestsStream() {
        ModernMcp.Answer answer = client("/mcp").request("tools/call", """
                {"name":"testing__progress","arguments":{"steps":3},"_meta":{"progressToken":"p-1"}}""");
        assertThat(answer.streamed()).isTrue();
        assertThat(answer.headers().firstValue("X-Accel-Buffering")).contains("no");
        List<JsonNode> progress = answer.messages().stream().filter(message -> message.path("method").asText().equals("notifications/progress")).toList();
        assertThat(progress).hasSize(3).allMatch(message -> message.path("params").path("progressToken").asText().equals("p-1"));
        assertThat(answer.messages().stream().filter(message -> message.has("id")).toList()).hasSize(1);
        assertThat(answer.result().path("content").path(0).path("text").asText()).isEqualTo("done 3");
        assertThat(answer.messages()).noneMatch(message -> message.path("id").isNull() && message.has("error"));
    }

    @Test
    void closingTheResponseStreamCancelsTheCallAtTheBackend() throws Exception {
        ModernMcp client = client("/mcp");
        int before = cancelled(client);
        String body = JsonRpc.write(client.body(41, "tools/call",
                "{\"name\":\"testing__wait_for_cancel\",\"arguments\":{},\"_meta\":{\"progressToken\":\"c-1\"}}"));
        HttpResponse<InputStream> open = http.send(HttpRequest.newBuilder(gateway.baseUri().resolve("/mcp"))
                .header("Authorization", "Bearer open-1").header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").header("MCP-Protocol-Version", "2026-07-28")
                .header("Mcp-Method", "tools/call").header("Mcp-Name", "testing__wait_for_cancel")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(open.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        try (InputStream stream = open.body()) {
            assertThat(stream.read()).as("a keep-alive comment comes").isEqualTo(':');
        }
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> cancelled(client) > before);
    }

    /** How many requests the testing backend was told were cancelled. */
    private static int cancelled(ModernMcp client) {
        String ids = client.call("testing__cancelled", "{}").result().path("content").path(0).path("text").asText();
        return ids.isEmpty() ? 0 : ids.split(",").length;
    }

    @Test
    void aBackendsRequestForACapabilityTheModernClientLacksIsRefusedAtTheBackend() {
        String sampling = """
                {"name":"testing__ask","arguments":{"method":"sampling/createMessage","params":{"messages":[{"role":"user",
                 "content":{"type":"text","text":"hi"}}],"maxTokens":5}}}""";
        ModernMcp.Answer undeclared = client("/mcp").declaring("{\"elicitation\":{}}").request("tools/call", sampling);
        assertRefused(undeclared, 400, -32021, undeclared.response().path("id").asInt());
        assertThat(undeclared.error().path("data").path("requiredCapabilities").has("sampling")).isTrue();
        // a declared one is asked in an input_required result: InputRequiredIT
    }

    @Test
    void legacyStatelessModeKeepsTheCapabilitiesARequestCarries() throws Exception {
        try (TestingGateway stateless = TestingConfig.gateway().yaml("""
                server:
                  stateless: true
                """).backend(TestingBackendConfig.testing()).startReady(home.resolve("stateless"))) {
            String ask = "\"name\":\"testing__ask\",\"arguments\":{\"method\":\"roots/list\",\"params\":{}}";
            JsonNode declared = legacyStatelessCall(stateless, "{" + ask
                    + ",\"_meta\":{\"io.modelcontextprotocol/clientCapabilities\":{\"roots\":{}}}}");
            assertThat(declared.path("result").path("roots").path(0).path("uri").asText())
                    .as("asked on the POST's stream, answered in a POST of its own").isEqualTo("file:///stateless");
            JsonNode undeclared = legacyStatelessCall(stateless, "{" + ask + "}");
            assertThat(undeclared.path("error").path("message").asText()).contains("did not declare the roots capability");

            ModernMcp modern = new ModernMcp(stateless, null, "/mcp");
            assertThat(modern.call("testing__echo", "{\"text\":\"modern too\"}").result().path("content").path(0).path("text").asText())
                    .isEqualTo("modern too");
        }
    }

    /**
     * What the testing backend heard back when it asked during a legacy stateless call with {@code params}; a
     * {@code roots/list} on the call's stream is answered in a POST of its own.
     */
    private JsonNode legacyStatelessCall(TestingGateway stateless, String params) throws Exception {
        HttpRequest.Builder post = HttpRequest.newBuilder(stateless.baseUri().resolve("/mcp")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", "2025-11-25");
        HttpResponse<Stream<String>> answer = http.send(post.POST(HttpRequest.BodyPublishers.ofString(
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":" + params + "}")).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode response = null;
        for (String line : (Iterable<String>) answer.body().limit(200)::iterator) {
            String data = line.startsWith("data:") ? line.substring(5).strip() : line.startsWith("{") ? line : "";
            if (data.isEmpty()) {
                continue;
            }
            JsonNode message = JsonRpc.MAPPER.readTree(data);
            if ("roots/list".equals(message.path("method").asText())) {
                HttpResponse<String> answered = http.send(post.POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":"
                        + message.get("id") + ",\"result\":{\"roots\":[{\"uri\":\"file:///stateless\",\"name\":\"s\"}]}}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(answered.statusCode()).isEqualTo(202);
            } else if (message.path("id").asInt() == 1) {
                response = message;
                break;
            }
        }
        assertThat(response).as("the call's answer came").isNotNull();
        return JsonRpc.MAPPER.readTree(response.path("result").path("content").path(0).path("text").asText());
    }
}
