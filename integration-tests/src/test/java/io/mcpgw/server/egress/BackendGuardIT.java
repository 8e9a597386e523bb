package io.mcpgw.server.egress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.testkit.TestingBackendConfig;
import io.mcpgw.testkit.TestingConfig;
import io.mcpgw.testkit.TestingGateway;
import io.mcpgw.testkit.TestingMcpBackend;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
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

/** The circuit breaker and the bulkhead in front of real stdio backends. */
class BackendGuardIT {

    @TempDir
    static Path home;

    private static TestingGateway gateway;
    private static String session;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = TestingConfig.gateway()
                .backend(TestingBackendConfig.stdio("flaky", TestingMcpBackend.class)
                        .with("requestTimeout: 300ms").with("circuitBreaker: { failures: 3, openFor: 1500ms, halfOpenProbes: 1 }"))
                .backend(TestingBackendConfig.stdio("narrow", TestingMcpBackend.class).with("maxConcurrentCalls: 2"))
                .startReady(home);
        session = HTTP.send(post(null, """
                {"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},
                 "clientInfo":{"name":"raw","version":"1"}}}"""), HttpResponse.BodyHandlers.ofString())
                .headers().firstValue("Mcp-Session-Id").orElseThrow();
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    private static HttpRequest post(String sessionId, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.baseUri().resolve("/mcp")).header("Content-Type", "application/json")
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (sessionId != null) {
            request.header("Mcp-Session-Id", sessionId);
        }
        return request.build();
    }

    private static JsonNode call(String tool, String arguments) throws Exception {
        return JsonRpc.MAPPER.readTree(HTTP.send(post(session, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\""
                + tool + "\",\"arguments\":" + arguments + "}}"), HttpResponse.BodyHandlers.ofString()).body());
    }

    private static int code(JsonNode response) {
        return response.path("error").path("code").asInt();
    }

    @Test
    void theCircuitOpensAfterTheThresholdFailsFastAndCloses() throws Exception {
        String before = call("flaky__calls", "{}").path("result").path("content").get(0).path("text").asText();
        for (int i = 0; i < 3; i++) {
            assertThat(code(call("flaky__slow", "{\"millis\":2000}"))).as("a timeout counts against the backend").isEqualTo(-32011);
        }
        JsonNode refused = call("flaky__echo", "{\"text\":\"x\"}");
        assertThat(code(refused)).isEqualTo(-32015);
        assertThat(refused.path("error").path("message").asText()).contains("circuit is open");

        Thread.sleep(1600);
        assertThat(call("flaky__echo", "{\"text\":\"probe\"}").has("result")).as("the half-open probe goes through").isTrue();
        String after = call("flaky__calls", "{}").path("result").path("content").get(0).path("text").asText();
        assertThat(Integer.parseInt(after) - Integer.parseInt(before))
                .as("the refused call never reached the backend: 3 slow + probe + this count").isEqualTo(5);
    }

    @Test
    void anOperatorResetClosesAnOpenCircuit() throws Exception {
        for (int i = 0; i < 3; i++) {
            call("flaky__slow", "{\"millis\":2000}");
        }
        assertThat(code(call("flaky__echo", "{\"text\":\"x\"}"))).isEqualTo(-32015);
        assertThat(gateway.gateway().resetCircuit("flaky")).isTrue();
        assertThat(call("flaky__echo", "{\"text\":\"x\"}").has("result")).isTrue();
        assertThat(gateway.gateway().resetCircuit("nope")).isFalse();
    }

    @Test
    void aFullBulkheadRefusesAtOnce() throws Exception {
        List<JsonNode> answers = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<JsonNode>> calls = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                calls.add(threads.submit(() -> call("narrow__slow", "{\"millis\":1000}")));
            }
            for (Future<JsonNode> call : calls) {
                answers.add(call.get());
            }
        }
        assertThat(answers).filteredOn(answer -> answer.has("result")).hasSize(2);
        assertThat(answers).filteredOn(answer -> code(answer) == -32016).hasSize(3)
                .allSatisfy(answer -> assertThat(answer.path("error").path("message").asText()).contains("2 calls in flight"));
        assertThat(call("narrow__echo", "{\"text\":\"again\"}").has("result")).isTrue();
    }
}
