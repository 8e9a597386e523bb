package io.mcpgw.server.governance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.testkit.RawMcp;
import io.mcpgw.testkit.TestingConfig;
import io.mcpgw.testkit.TestingGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tenants against each other and against their quotas, through a real gateway with API-key identities. */
class GovernanceIT {

    @TempDir
    static Path home;

    private static TestingGateway gateway;

    @BeforeAll
    static void startGateway() throws InterruptedException {
        gateway = TestingConfig.gateway()
                .apiKey("acme", "acme", "ci-bot").apiKey("globex", "globex", "ops").apiKey("metered", "metered", "bot")
                .apiKey("narrow", "narrow", "bot").apiKey("initech", "initech", "bot").apiKey("few", "few", "bot")
                .tenant("acme", "tools: { deny: [\"testing__crash\", \"testing__garbage\"] }")
                .tenant("globex", "backends: [demo]")
                .tenant("metered", "quotas: { requestsPerMinute: 600, burst: 3 }")
                .tenant("narrow", "quotas: { concurrentRequests: 2 }")
                .tenant("few", "quotas: { maxSessions: 3 }")
                .demoAndTesting("hello")
                .startReady(home);
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    private static List<String> names(JsonNode response, String field) {
        List<String> names = new ArrayList<>();
        response.path("result").path(field).forEach(item -> names.add(item.path("name").asText()));
        return names;
    }

    @Test
    void aTenantNotConfiguredIsRefused() {
        HttpResponse<String> refused = new RawMcp(gateway, "initech", "/mcp").initialize();
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("-32006").contains("tenant 'initech' is not configured here");
    }

    @Test
    void whatATenantMayNotUseDoesNotExistForIt() {
        RawMcp acme = new RawMcp(gateway, "acme", "/mcp").initialized();
        RawMcp globex = new RawMcp(gateway, "globex", "/mcp").initialized();

        assertThat(names(acme.request("tools/list", "{}"), "tools")).contains("demo__add", "testing__echo")
                .doesNotContain("testing__crash", "testing__garbage");
        assertThat(names(globex.request("tools/list", "{}"), "tools")).isNotEmpty().allMatch(name -> name.startsWith("demo__"));
        assertThat(names(globex.request("prompts/list", "{}"), "prompts")).containsExactly("demo__greet");
        assertThat(globex.request("resources/list", "{}").path("result").path("resources"))
                .extracting(resource -> resource.path("uri").asText()).containsExactly("demo://greeting");

        JsonNode unknown = globex.call("nope__nothing", "{}").path("error");
        JsonNode hidden = globex.call("testing__echo", "{\"text\":\"x\"}").path("error");
        assertThat(hidden.path("code").asInt()).isEqualTo(unknown.path("code").asInt()).isEqualTo(-32602);
        assertThat(hidden.path("message").asText()).isEqualTo("Unknown tool: testing__echo");
        assertThat(acme.call("testing__crash", "{}").path("error").path("message").asText()).isEqualTo("Unknown tool: testing__crash");
        assertThat(globex.request("resources/read", "{\"uri\":\"test://doc/1\"}").path("error").path("code").asInt()).isEqualTo(-32002);
        assertThat(acme.request("resources/read", "{\"uri\":\"test://doc/1\"}").path("result").path("contents")).isNotEmpty();
        assertThat(acme.call("testing__echo", "{\"text\":\"mine\"}").path("result").path("content").get(0).path("text").asText()).isEqualTo("mine");

        assertThat(new RawMcp(gateway, "globex", "/servers/testing/mcp").initialize().statusCode())
                .as("a backend the tenant may not use looks like no backend").isEqualTo(404);
        assertThat(new RawMcp(gateway, "acme", "/servers/testing/mcp").initialize().statusCode()).isEqualTo(200);
    }

    @Test
    void theRateIsATokenBucketThatRefills() throws Exception {
        RawMcp metered = new RawMcp(gateway, "metered", "/mcp").initialized();
        for (int i = 0; i < 3; i++) {
            assertThat(metered.call("demo__add", "{\"a\":1,\"b\":" + i + "}").has("result")).isTrue();
        }
        JsonNode throttled = metered.call("demo__add", "{\"a\":1,\"b\":3}").path("error");
        assertThat(throttled.path("code").asInt()).isEqualTo(-32009);
        assertThat(throttled.path("message").asText()).contains("over its 600 requests per minute");
        long retryAfter = throttled.path("data").path("retryAfterMillis").asLong();
        assertThat(retryAfter).isBetween(1L, 101L);
        assertThat(metered.request("tools/list", "{}").has("result")).as("lists are not invocations").isTrue();

        Thread.sleep(retryAfter + 20);
        assertThat(metered.call("demo__add", "{\"a\":1,\"b\":4}").has("result")).as("a token came back").isTrue();
    }

    @Test
    void theConcurrencyCapHoldsUnderParallelLoad() throws Exception {
        RawMcp narrow = new RawMcp(gateway, "narrow", "/mcp").initialized();
        List<JsonNode> answers = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<JsonNode>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(threads.submit(() -> narrow.call("testing__slow", "{\"millis\":1500}")));
            }
            for (Future<JsonNode> call : calls) {
                answers.add(call.get());
            }
        }
        assertThat(answers).filteredOn(answer -> answer.has("result")).hasSize(2);
        assertThat(answers).filteredOn(answer -> answer.path("error").path("code").asInt() == -32009).hasSize(6)
                .allSatisfy(answer -> assertThat(answer.path("error").path("message").asText()).contains("2 requests in flight"));
        assertThat(narrow.call("demo__add", "{\"a\":1,\"b\":1}").has("result")).as("the places came back").isTrue();
    }

    @Test
    void maxSessionsCountsOpenSessions() {
        List<RawMcp> open = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            open.add(new RawMcp(gateway, "few", "/mcp").initialized());
        }
        HttpResponse<String> refused = new RawMcp(gateway, "few", "/mcp").initialize();
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).contains("-32009").contains("maxSessions");

        assertThat(open.getFirst().delete()).isEqualTo(204);
        assertThat(new RawMcp(gateway, "few", "/mcp").initialize().statusCode()).isEqualTo(200);
    }
}
