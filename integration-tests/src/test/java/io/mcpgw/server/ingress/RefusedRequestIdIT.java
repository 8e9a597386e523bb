package io.mcpgw.server.ingress;

import static io.mcpgw.server.ingress.McpClientITSupport.INITIALIZE;
import static io.mcpgw.testkit.TestingPluginJar.plugin;
import static io.mcpgw.testkit.TestingPluginJar.policyFactorySource;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.testkit.TestingConfig;
import io.mcpgw.testkit.TestingGateway;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A request the Streamable HTTP endpoint refuses once it has read the body gets its own id back in the JSON-RPC error
 * (JSON-RPC 2.0 leaves the id null only when it could not be read; the 2026-07-28 schema has no null id at all),
 * whether the request is served on the I/O thread that read it or, behind a policy that may block, on a virtual thread.
 */
class RefusedRequestIdIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path home;

    @ParameterizedTest(name = "behind a policy that may block: {0}")
    @ValueSource(booleans = {false, true})
    void aRefusedRequestCarriesItsId(boolean blockingPolicy) throws Exception {
        TestingConfig config = TestingConfig.gateway().yaml("""
                server:
                  maxSessions: 1
                """).demoAndTesting("hello");
        if (blockingPolicy) {
            plugin("allow").requires(">=0.1.0")
                    .extension("com.example.allow.AllowFactory", policyFactorySource("com.example.allow.AllowFactory", "allow", "",
                            "return input -> Decision.allow();"))
                    .writeJar(Files.createDirectories(home.resolve("plugins")));
            config.yaml("""
                    policy:
                      - type: allow
                    """);
        }
        try (TestingGateway gateway = config.startReady(home)) {
            HttpResponse<String> opened = post(gateway, INITIALIZE.formatted("2025-11-25"));
            assertThat(opened.statusCode()).isEqualTo(200);
            String session = opened.headers().firstValue("Mcp-Session-Id").orElseThrow();

            assertRefused(post(gateway, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/list\"}"), 400, "7", "Missing Mcp-Session-Id");
            assertRefused(post(gateway, "{\"jsonrpc\":\"2.0\",\"id\":\"seven\",\"method\":\"tools/list\"}", "Mcp-Session-Id", "no-such-session"),
                    404, "\"seven\"", "Session not found");
            assertRefused(post(gateway, "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"ping\"}", "Mcp-Session-Id", session,
                    "MCP-Protocol-Version", "1999-01-01"), 400, "8", "Unsupported MCP-Protocol-Version: 1999-01-01");
            assertRefused(post(gateway, INITIALIZE.formatted("2025-11-25").replace("\"id\":1", "\"id\":9")), 429, "9", "");

            HttpResponse<String> notification = post(gateway, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            assertThat(notification.statusCode()).isEqualTo(400);
            assertThat(JsonRpc.MAPPER.readTree(notification.body()).get("id").isNull()).as("a notification has no id to give back").isTrue();

            assertThat(post(gateway, "{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"ping\"}", "Mcp-Session-Id", session).statusCode())
                    .as("the session the refusals left alone").isEqualTo(200);
        }
    }

    private static void assertRefused(HttpResponse<String> response, int status, String id, String message) throws Exception {
        JsonNode error = JsonRpc.MAPPER.readTree(response.body());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(error.get("id")).as(response.body()).hasToString(id);
        assertThat(error.path("error").path("message").asText()).contains(message);
    }

    private HttpResponse<String> post(TestingGateway gateway, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.baseUri().resolve("/mcp")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream");
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
