package io.mcpgw.server.ingress;

import static io.mcpgw.server.ingress.McpClientITSupport.INITIALIZE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.testkit.TestingConfig;
import io.mcpgw.testkit.TestingGateway;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The 2024-11-05 HTTP+SSE transport at {@code /sse}, checked with raw HTTP: the stream, its endpoint, every refusal. */
class LegacySseIT {


    @TempDir
    static Path home;

    private static TestingGateway gateway;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startGateway() throws InterruptedException {
        gateway = TestingConfig.gateway()
                .yaml("""
                        server:
                          maxRequestBytes: 4096
                        """)
                .demoAndTesting("hello")
                .startReady(home);
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    /** An open GET stream: its events, as "name: data", in order. */
    private final class EventStream implements AutoCloseable {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        final CompletableFuture<HttpResponse<Stream<String>>> response;

        EventStream(String path, String... headers) {
            HttpRequest.Builder request = HttpRequest.newBuilder(gateway.baseUri().resolve(path)).header("Accept", "text/event-stream");
            for (int i = 0; i < headers.length; i += 2) {
                request.header(headers[i], headers[i + 1]);
            }
            response = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines());
            response.thenAcceptAsync(lines -> {
                String name = "message";
                StringBuilder data = new StringBuilder();
                Iterator<String> each = lines.body().iterator();
                while (each.hasNext()) {
                    String line = each.next();
                    if (line.startsWith("event:")) {
                        name = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).trim());
                    } else if (line.isEmpty() && !data.isEmpty()) {
                        events.add(name + ": " + data);
                        name = "message";
                        data.setLength(0);
                    }
                }
            });
        }

        String next() throws InterruptedException {
            String event = events.poll(10, TimeUnit.SECONDS);
            assertThat(event).as("an event within 10 s").isNotNull();
            return event;
        }

        JsonNode nextMessage() throws InterruptedException, IOException {
            String event = next();
            assertThat(event).startsWith("message: ");
            return JsonRpc.MAPPER.readTree(event.substring("message: ".length()));
        }

        /** The endpoint the first event names. */
        String endpoint() throws InterruptedException {
            String event = next();
            assertThat(event).startsWith("endpoint: ");
            return event.substring("endpoint: ".length());
        }

        @Override
        public void close() {
            response.thenAccept(lines -> lines.body().close());
        }
    }

    private HttpResponse<String> post(String target, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.baseUri().resolve(target)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theStreamNamesItsEndpointAndCarriesEveryAnswer() throws Exception {
        try (EventStream stream = new EventStream("/sse")) {
            assertThat(stream.response.get(10, TimeUnit.SECONDS).headers().firstValue("Content-Type")).hasValue("text/event-stream");
            String endpoint = stream.endpoint();
            assertThat(endpoint).matches("/message\\?sessionId=[A-Za-z0-9_-]{43}");

            assertThat(post(endpoint, INITIALIZE.formatted("2024-11-05")).statusCode()).isEqualTo(202);
            JsonNode initialized = stream.nextMessage();
            assertThat(initialized.path("id").asInt()).isEqualTo(1);
            assertThat(initialized.path("result").path("protocolVersion").asText()).isEqualTo("2024-11-05");
            assertThat(post(endpoint, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").statusCode()).isEqualTo(202);

            assertThat(post(endpoint, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"demo__add\",\"arguments\":{\"a\":1,\"b\":2}}}")
                    .statusCode()).isEqualTo(202);
            JsonNode added = stream.nextMessage();
            assertThat(added.path("id").asInt()).isEqualTo(2);
            assertThat(added.path("result").path("content").get(0).path("text").asText()).isEqualTo("3");

            assertThat(post(endpoint, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"no/such\"}").statusCode()).isEqualTo(202);
            assertThat(stream.nextMessage().path("error").path("code").asInt()).isEqualTo(-32601);
        }
    }

    @Test
    void aBackendsOwnStreamNamesItsOwnEndpoint() throws Exception {
        try (EventStream stream = new EventStream("/servers/testing/sse")) {
            String endpoint = stream.endpoint();
            assertThat(endpoint).startsWith("/servers/testing/message?sessionId=");
            post(endpoint, INITIALIZE.formatted("2024-11-05"));
            assertThat(stream.nextMessage().path("result").path("serverInfo").path("name").asText()).isEqualTo("mcpgw/testing");

            String sessionId = endpoint.substring(endpoint.indexOf('=') + 1);
            assertThat(post("/message?sessionId=" + sessionId, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}").statusCode())
                    .as("a stream's id is good only at its own endpoint").isEqualTo(404);
        }
    }

    @Test
    void refusalsAreSpecShaped() throws Exception {
        try (EventStream stream = new EventStream("/sse")) {
            String endpoint = stream.endpoint();
            assertThat(post("/message", "{}").statusCode()).isEqualTo(400);
            HttpResponse<String> unknown = post("/message?sessionId=nope", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(JsonRpc.MAPPER.readTree(unknown.body()).path("error").path("message").asText()).contains("Session not found");
            assertThat(post(endpoint, "{not json").statusCode()).isEqualTo(400);
            assertThat(post(endpoint, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"pad\":\"" + "x".repeat(5000) + "\"}}")
                    .statusCode()).isEqualTo(413);
            assertThat(http.send(HttpRequest.newBuilder(gateway.baseUri().resolve(endpoint)).header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(415);
            assertThat(http.send(HttpRequest.newBuilder(gateway.baseUri().resolve(endpoint)).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(405);
            assertThat(post("/sse", "{}").statusCode()).isEqualTo(405);
            assertThat(post(endpoint, INITIALIZE.formatted("2024-11-05"), "Origin", "https://evil.example").statusCode()).isEqualTo(403);

            post(endpoint, "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/list\"}");
            assertThat(stream.nextMessage().path("error").path("message").asText()).isEqualTo("Send initialize first");
        }
        HttpResponse<String> foreign = http.send(HttpRequest.newBuilder(gateway.baseUri().resolve("/sse")).header("Origin", "https://evil.example")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(http.send(HttpRequest.newBuilder(gateway.baseUri().resolve("/servers/nope/sse")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(404);
    }

    @Test
    void closingTheStreamEndsTheSession() throws Exception {
        String endpoint;
        try (EventStream stream = new EventStream("/sse")) {
            endpoint = stream.endpoint();
            post(endpoint, INITIALIZE.formatted("2024-11-05"));
            stream.nextMessage();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(post(endpoint, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}").statusCode()).isEqualTo(404));
    }
}
