package io.mcpgw.server.identity;

import static io.mcpgw.server.ingress.McpClientITSupport.INITIALIZE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.testkit.TestingConfig;
import io.mcpgw.testkit.TestingGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code identity: api-key} on every transport: who may open a session, and that a session stays its owner's. */
class ApiKeyIdentityIT {

    private static final String ACME_KEY = "acme-secret-key";
    private static final String GLOBEX_KEY = "globex-secret-key";

    @TempDir
    static Path home;

    private static TestingGateway gateway;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startGateway() throws InterruptedException {
        gateway = TestingConfig.gateway()
                .apiKey(ACME_KEY, "acme", "ci-bot").apiKey(GLOBEX_KEY, "globex", "ops")
                .tenant("acme").tenant("globex")
                .demoAndTesting("hello")
                .startReady(home);
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    private HttpResponse<String> post(String body, String... headers) throws Exception {
        List<String> all = new ArrayList<>(List.of("Content-Type", "application/json", "Accept", "application/json, text/event-stream"));
        all.addAll(List.of(headers));
        return http.send(HttpRequest.newBuilder(gateway.baseUri().resolve("/mcp")).headers(all.toArray(String[]::new))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JsonRpc.MAPPER.readTree(response.body());
    }

    private String session(String key) throws Exception {
        HttpResponse<String> response = post(INITIALIZE.formatted("2025-11-25"), "Authorization", "Bearer " + key);
        assertThat(response.statusCode()).isEqualTo(200);
        return response.headers().firstValue("Mcp-Session-Id").orElseThrow();
    }

    @Test
    void aCallerWithoutAGoodKeyGets401WithAChallenge() throws Exception {
        HttpResponse<String> missing = post(INITIALIZE.formatted("2025-11-25"));
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"mcpgw\"");
        assertThat(json(missing).path("error").path("code").asInt()).isEqualTo(-32005);

        HttpResponse<String> wrong = post(INITIALIZE.formatted("2025-11-25"), "Authorization", "Bearer not-a-key");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"mcpgw\", error=\"invalid_token\"");
        assertThat(wrong.body()).doesNotContain("not-a-key");

        assertThat(post(INITIALIZE.formatted("2025-11-25"), "X-API-Key", ACME_KEY).statusCode()).isEqualTo(200);
    }

    @Test
    void aSessionIdIsNoCredential() throws Exception {
        String acme = session(ACME_KEY);
        String ping = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}";

        HttpResponse<String> stolen = post(ping, "Authorization", "Bearer " + GLOBEX_KEY, "Mcp-Session-Id", acme);
        assertThat(stolen.statusCode()).as("another principal is told the session does not exist").isEqualTo(404);
        assertThat(post(ping, "Mcp-Session-Id", acme).statusCode()).as("no key at all").isEqualTo(401);

        HttpResponse<String> deleted = http.send(HttpRequest.newBuilder(gateway.baseUri().resolve("/mcp"))
                .header("Authorization", "Bearer " + GLOBEX_KEY).header("Mcp-Session-Id", acme).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(deleted.statusCode()).isEqualTo(404);

        assertThat(post(ping, "Authorization", "Bearer " + ACME_KEY, "Mcp-Session-Id", acme).statusCode()).isEqualTo(200);
    }

    @Test
    void theOtherTransportsCheckTheKeyToo() throws Exception {
        URI ws = URI.create(gateway.baseUri().toString().replaceFirst("^http", "ws") + "/ws");
        Throwable refused = catchThrowable(() -> http.newWebSocketBuilder().subprotocols("mcp").buildAsync(ws, new WebSocket.Listener() { }).join());
        assertThat(refused).isInstanceOf(CompletionException.class).cause().isInstanceOf(WebSocketHandshakeException.class);
        assertThat(((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode()).isEqualTo(401);
        http.newWebSocketBuilder().subprotocols("mcp").header("Authorization", "Bearer " + ACME_KEY)
                .buildAsync(ws, new WebSocket.Listener() { }).join().sendClose(WebSocket.NORMAL_CLOSURE, "done").join();

        assertThat(http.send(HttpRequest.newBuilder(gateway.baseUri().resolve("/sse")).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode()).isEqualTo(401);
        HttpResponse<java.util.stream.Stream<String>> stream = http.send(HttpRequest.newBuilder(gateway.baseUri().resolve("/sse"))
                .header("Authorization", "Bearer " + ACME_KEY).build(), HttpResponse.BodyHandlers.ofLines());
        String endpoint = stream.body().filter(line -> line.startsWith("data:")).findFirst().orElseThrow().substring(5).trim();
        HttpResponse<String> foreign = http.send(HttpRequest.newBuilder(gateway.baseUri().resolve(endpoint))
                .header("Authorization", "Bearer " + GLOBEX_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(INITIALIZE.formatted("2025-11-25"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(foreign.statusCode()).as("another principal cannot post to the stream").isEqualTo(404);
        stream.body().close();
    }
}
