package io.mcpgw.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.testkit.TestingBackendConfig;
import io.mcpgw.testkit.TestingConfig;
import io.mcpgw.testkit.TestingGateway;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit trail a real gateway writes to the built-in {@code file} sink for one client's session. */
class AuditTrailIT {

    @TempDir
    Path home;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> post(TestingGateway gateway, String key, String session, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.baseUri().resolve("/mcp")).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String call(int id, String tool, String arguments) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool + "\",\"arguments\":" + arguments + "}}";
    }

    /** The sink's file, wherever the data directory put it; empty until the first batch is written. */
    private Optional<Path> trailFile() {
        try (Stream<Path> files = Files.walk(home)) {
            return files.filter(path -> path.getFileName().toString().equals("trail.ndjson")).findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<JsonNode> trail() {
        List<JsonNode> events = new ArrayList<>();
        try {
            for (String line : trailFile().isPresent() ? Files.readAllLines(trailFile().get()) : List.<String>of()) {
                events.add(JsonRpc.MAPPER.readTree(line));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return events;
    }

    private static String describe(JsonNode event) {
        return event.path("type").asText() + " " + event.path("tool").asText("-") + " " + event.path("outcome").asText("-")
                + " " + event.path("errorCode").asText("-");
    }

    @Test
    void aSessionLeavesItsWholeStoryInOrder() throws Exception {
        try (TestingGateway gateway = TestingConfig.gateway()
                .apiKey("acme", "acme", "ci-bot").apiKey("globex", "globex", "ops")
                .tenant("acme").tenant("globex")
                .backend(TestingBackendConfig.testing())
                .yaml("""
                        audit:
                          - type: file
                            path: trail.ndjson
                          - type: file
                            path: small.ndjson
                            maxBytes: 600
                            maxFiles: 2
                        """)
                .startReady(home)) {
            HttpResponse<String> initialized = post(gateway, "acme", null, """
                    {"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},
                     "clientInfo":{"name":"raw","version":"1"}}}""");
            String session = initialized.headers().firstValue("Mcp-Session-Id").orElseThrow();
            post(gateway, "acme", session, call(1, "testing__echo", "{\"text\":\"secret argument\"}"));
            post(gateway, "acme", session, call(2, "testing__crash", "{}"));
            assertThat(post(gateway, "globex", session, call(3, "testing__echo", "{\"text\":\"x\"}")).statusCode()).isEqualTo(404);
            http.send(HttpRequest.newBuilder(gateway.baseUri().resolve("/mcp")).header("Authorization", "Bearer acme")
                    .header("Mcp-Session-Id", session).DELETE().build(), HttpResponse.BodyHandlers.discarding());

            await().atMost(Duration.ofSeconds(10)).until(() -> trail().stream().anyMatch(event -> event.path("type").asText().equals("session_end")));
            List<JsonNode> trail = trail();
            assertThat(trail).extracting(AuditTrailIT::describe).containsExactly(
                    "session_start - - -",
                    "policy_decision testing__echo allow -",
                    "invocation_start testing__echo - -",
                    "invocation_complete testing__echo ok -",
                    "policy_decision testing__crash allow -",
                    "invocation_start testing__crash - -",
                    "invocation_failed testing__crash error -32010",
                    "policy_decision - deny -32600",
                    "session_end - - -");
            assertThat(trail).allSatisfy(event -> {
                assertThat(event.path("id").asText()).isNotEmpty();
                assertThat(event.path("session").asText()).isEqualTo(session);
            });
            assertThat(trail.get(3).path("requestId").asText()).isEqualTo("1");
            assertThat(trail.get(3).path("durationMicros").asLong()).isPositive();
            assertThat(trail.get(7).path("tenant").asText()).as("the refused caller is who is recorded").isEqualTo("globex");
            assertThat(trail).extracting(event -> event.path("tenant").asText()).filteredOn("acme"::equals).hasSize(8);
            assertThat(Files.readString(trailFile().orElseThrow()))
                    .as("arguments are left out unless configured").doesNotContain("secret argument");

            Path small = trailFile().orElseThrow().resolveSibling("small.ndjson");
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(small) && Files.readString(small).contains("session_end"));
            assertThat(small.resolveSibling("small.ndjson.1")).exists();
            assertThat(small.resolveSibling("small.ndjson.2")).exists();
            assertThat(small.resolveSibling("small.ndjson.3")).as("at most maxFiles rotated files are kept").doesNotExist();
            assertThat(Files.size(small.resolveSibling("small.ndjson.1"))).isGreaterThanOrEqualTo(600);
        }
    }
}
