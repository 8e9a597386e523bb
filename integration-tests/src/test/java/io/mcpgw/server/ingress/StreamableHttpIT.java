package io.mcpgw.server.ingress;

import static io.mcpgw.server.ingress.McpClientITSupport.INITIALIZE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpgw.server.demo.DemoBackend;
import io.mcpgw.testkit.JavaCommand;
import io.mcpgw.testkit.TestingConfig;
import io.mcpgw.testkit.TestingGateway;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every status rule of the Streamable HTTP transport, checked with raw HTTP. */
class StreamableHttpIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BOTH = "application/json, text/event-stream";

    @TempDir
    static Path home;

    private static TestingGateway gateway;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startGateway() throws InterruptedException {
        gateway = TestingConfig.gateway().yaml("""
                server:
                  maxRequestBytes: 4096
                  pageSize: 2
                """).demoAndTesting("hello").startReady(home);
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    private HttpRequest.Builder request(String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(gateway.baseUri().resolve("/mcp")).timeout(Duration.ofSeconds(30));
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return builder;
    }

    private HttpResponse<String> post(String body, String... headers) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("Content-Type", "application/json", "Accept", BOTH));
        all.addAll(List.of(headers));
        return http.send(request(all.toArray(String[]::new)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String session(String version) throws IOException, InterruptedException {
        HttpResponse<String> response = post(INITIALIZE.formatted(version));
        assertThat(response.statusCode()).isEqualTo(200);
        String id = response.headers().firstValue("Mcp-Session-Id").orElseThrow();
        assertThat(id).matches("[\\x21-\\x7E]{40,}");
        return id;
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    @Test
    void initializeNegotiatesTheRevision() throws Exception {
        assertThat(json(post(INITIALIZE.formatted("2025-06-18"))).path("result").path("protocolVersion").asText()).isEqualTo("2025-06-18");
        assertThat(json(post(INITIALIZE.formatted("2024-01-01"))).path("result").path("protocolVersion").asText()).isEqualTo("2025-11-25");
    }

    @Test
    void notificationsAndResponsesGet202() throws Exception {
        String session = session("2025-11-25");
        HttpResponse<String> notification = post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", "Mcp-Session-Id", session);
        assertThat(notification.statusCode()).isEqualTo(202);
        assertThat(notification.body()).isEmpty();
        assertThat(post("{\"jsonrpc\":\"2.0\",\"id\":9,\"result\":{}}", "Mcp-Session-Id", session).statusCode()).isEqualTo(202);
    }

    @Test
    void sessionRules() throws Exception {
        HttpResponse<String> missing = post("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(json(missing).path("error").path("message").asText()).contains("Mcp-Session-Id");

        assertThat(post("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}", "Mcp-Session-Id", "no-such-session")
                .statusCode()).isEqualTo(404);

        String session = session("2025-11-25");
        assertThat(post("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}", "Mcp-Session-Id", session).statusCode()).isEqualTo(200);
        HttpResponse<String> deleted = http.send(request("Mcp-Session-Id", session).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(post("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}", "Mcp-Session-Id", session).statusCode()).isEqualTo(404);
        assertThat(http.send(request("Mcp-Session-Id", session).DELETE().build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(404);
    }

    @Test
    void sessionIsBoundToItsEndpoint() throws Exception {
        String session = session("2025-11-25");
        HttpResponse<String> elsewhere = http.send(HttpRequest.newBuilder(gateway.baseUri().resolve("/servers/demo/mcp"))
                .header("Content-Type", "application/json").header("Accept", BOTH).header("Mcp-Session-Id", session)
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(elsewhere.statusCode()).isEqualTo(404);
        assertThat(http.send(HttpRequest.newBuilder(gateway.baseUri().resolve("/servers/nope/mcp"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    }

    @Test
    void protocolVersionHeaderIsValidated() throws Exception {
        String session = session("2025-11-25");
        HttpResponse<String> bad = post("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}", "Mcp-Session-Id", session,
                "MCP-Protocol-Version", "1999-01-01");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).path("error").path("message").asText()).contains("Unsupported MCP-Protocol-Version: 1999-01-01");
        assertThat(post("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}", "Mcp-Session-Id", session,
                "MCP-Protocol-Version", "2025-11-25").statusCode()).isEqualTo(200);
    }

    @Test
    void foreignOriginIsForbiddenEvenWithAGoodHost() throws Exception {
        HttpResponse<String> foreign = post(INITIALIZE.formatted("2025-11-25"), "Origin", "https://evil.example");
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(json(foreign).path("error").path("message").asText()).contains("Origin https://evil.example is not allowed");
        assertThat(post(INITIALIZE.formatted("2025-11-25"), "Origin", "http://localhost:3000").statusCode()).isEqualTo(200);
    }

    @Test
    void rebindingHostIsForbidden() throws Exception {
        try (Socket socket = new Socket(gateway.baseUri().getHost(), gateway.baseUri().getPort())) {
            String body = INITIALIZE.formatted("2025-11-25");
            socket.getOutputStream().write(("POST /mcp HTTP/1.1\r\nHost: attacker.example\r\nContent-Type: application/json\r\n"
                    + "Accept: " + BOTH + "\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
                    + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertThat(status).isEqualTo("HTTP/1.1 403 Forbidden");
        }
    }

    @Test
    void methodAcceptContentTypeAndSizeRules() throws Exception {
        assertThat(http.send(request().PUT(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
        assertThat(http.send(request("Content-Type", "application/json", "Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString(INITIALIZE.formatted("2025-11-25"))).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(406);
        assertThat(http.send(request("Content-Type", "text/plain", "Accept", BOTH)
                .POST(HttpRequest.BodyPublishers.ofString(INITIALIZE.formatted("2025-11-25"))).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(415);
        String session = session("2025-11-25");
        assertThat(http.send(request("Accept", "application/json", "Mcp-Session-Id", session).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(406);
        HttpResponse<String> huge = post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"x\":\"" + "a".repeat(5000) + "\"}}",
                "Mcp-Session-Id", session);
        assertThat(huge.statusCode()).isEqualTo(413);
    }

    @Test
    void malformedMessagesGetSpecErrors() throws Exception {
        String session = session("2025-11-25");
        HttpResponse<String> parse = post("{\"jsonrpc\":", "Mcp-Session-Id", session);
        assertThat(parse.statusCode()).isEqualTo(400);
        assertThat(json(parse).path("error").path("code").asInt()).isEqualTo(-32700);
        assertThat(json(parse).path("id").isNull()).isTrue();

        HttpResponse<String> invalid = post("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}", "Mcp-Session-Id", session);
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(json(invalid).path("error").path("code").asInt()).isEqualTo(-32600);

        HttpResponse<String> unknown = post("{\"jsonrpc\":\"2.0\",\"id\":\"u\",\"method\":\"no/such\"}", "Mcp-Session-Id", session);
        assertThat(unknown.statusCode()).isEqualTo(200);
        assertThat(json(unknown).path("id").asText()).isEqualTo("u");
        assertThat(json(unknown).path("error").path("code").asInt()).isEqualTo(-32601);

        HttpResponse<String> badParams = post("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":7}}",
                "Mcp-Session-Id", session);
        assertThat(json(badParams).path("error").path("code").asInt()).isEqualTo(-32602);
    }

    @Test
    void batchesOnlyWhereTheRevisionHasThem() throws Exception {
        String batch = "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"},{\"jsonrpc\":\"2.0\",\"method\":\"notifications/x\"},"
                + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"demo__echo\",\"arguments\":{\"text\":\"b\"}}}]";
        String modern = session("2025-06-18");
        HttpResponse<String> refused = post(batch, "Mcp-Session-Id", modern);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused).path("error").path("message").asText()).contains("batches are not supported in protocol revision 2025-06-18");

        String legacy = session("2025-03-26");
        HttpResponse<String> answered = post(batch, "Mcp-Session-Id", legacy);
        assertThat(answered.statusCode()).isEqualTo(200);
        JsonNode responses = json(answered);
        assertThat(responses.size()).isEqualTo(2);
        assertThat(responses.get(0).path("id").asInt()).isEqualTo(1);
        assertThat(responses.get(1).path("result").path("content").get(0).path("text").asText()).isEqualTo("b");
    }

    @Test
    void listsPaginateWithCursors() throws Exception {
        String session = session("2025-11-25");
        List<String> names = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            String params = cursor == null ? "{}" : "{\"cursor\":\"" + cursor + "\"}";
            JsonNode result = json(post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":" + params + "}",
                    "Mcp-Session-Id", session)).path("result");
            result.path("tools").forEach(tool -> names.add(tool.path("name").asText()));
            assertThat(result.path("tools").size()).isLessThanOrEqualTo(2);
            cursor = result.path("nextCursor").textValue();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(10);
        assertThat(names).hasSize(20).doesNotHaveDuplicates().startsWith("demo__echo").contains("testing__pid");

        JsonNode bad = json(post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{\"cursor\":\"bogus!\"}}",
                "Mcp-Session-Id", session));
        assertThat(bad.path("error").path("code").asInt()).isEqualTo(-32602);
    }

    @Test
    void callsOfOneSessionRunConcurrently() throws Exception {
        String session = session("2025-11-25");
        CompletableFuture<HttpResponse<String>> slow = http.sendAsync(request("Content-Type", "application/json", "Accept", BOTH,
                "Mcp-Session-Id", session).POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,"
                + "\"method\":\"tools/call\",\"params\":{\"name\":\"testing__slow\",\"arguments\":{\"millis\":3000}}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(200);
        HttpResponse<String> fast = post("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":"
                + "{\"name\":\"testing__echo\",\"arguments\":{\"text\":\"first\"}}}", "Mcp-Session-Id", session);
        assertThat(json(fast).path("result").path("content").get(0).path("text").asText()).isEqualTo("first");
        assertThat(slow).isNotDone();
        assertThat(json(slow.get()).path("result").path("content").get(0).path("text").asText()).isEqualTo("slept 3000");
    }

    @Test
    void sseResponseCarriesEventIdsAndAPrimingEvent() throws Exception {
        String session = session("2025-11-25");
        HttpResponse<String> response = post("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":"
                + "{\"name\":\"demo__echo\",\"arguments\":{\"text\":\"streamed\"},\"_meta\":{\"progressToken\":\"p\"}}}",
                "Mcp-Session-Id", session);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/event-stream");
        List<SseEvent> events = SseEvent.parse(response.body());
        assertThat(events).hasSize(2);
        assertThat(events.get(0).data()).isEmpty();
        assertThat(events.get(0).retry()).isEqualTo("1000");
        assertThat(events.get(1).id()).isNotEqualTo(events.get(0).id());
        JsonNode answer = JSON.readTree(events.get(1).data());
        assertThat(answer.path("id").asInt()).isEqualTo(4);
        assertThat(answer.path("result").path("content").get(0).path("text").asText()).isEqualTo("streamed");
    }

    @Test
    void clientThatLosesTheStreamResumesWithLastEventId() throws Exception {
        String session = session("2025-11-25");
        HttpRequest slowCall = request("Content-Type", "application/json", "Accept", BOTH, "Mcp-Session-Id", session)
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":77,\"method\":\"tools/call\",\"params\":"
                        + "{\"name\":\"testing__slow\",\"arguments\":{\"millis\":1500},\"_meta\":{\"progressToken\":1}}}"))
                .build();
        HttpResponse<InputStream> streaming = http.send(slowCall, HttpResponse.BodyHandlers.ofInputStream());
        BufferedReader reader = new BufferedReader(new InputStreamReader(streaming.body(), StandardCharsets.UTF_8));
        String primingId = reader.readLine().substring("id: ".length());
        streaming.body().close();

        HttpResponse<String> resumed = http.send(request("Accept", "text/event-stream", "Mcp-Session-Id", session,
                "Last-Event-ID", primingId).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(resumed.statusCode()).isEqualTo(200);
        List<SseEvent> events = SseEvent.parse(resumed.body());
        assertThat(events).hasSize(1);
        JsonNode answer = JSON.readTree(events.getFirst().data());
        assertThat(answer.path("id").asInt()).isEqualTo(77);
        assertThat(answer.path("result").path("content").get(0).path("text").asText()).isEqualTo("slept 1500");
    }

    /** One server-sent event. */
    record SseEvent(String id, String retry, String data) {
        static List<SseEvent> parse(String stream) {
            List<SseEvent> events = new ArrayList<>();
            for (String block : stream.split("\n\n")) {
                String id = null;
                String retry = null;
                StringBuilder data = null;
                for (String line : block.split("\n")) {
                    if (line.startsWith("id: ")) {
                        id = line.substring(4);
                    } else if (line.startsWith("retry: ")) {
                        retry = line.substring(7);
                    } else if (line.startsWith("data:")) {
                        data = (data == null ? new StringBuilder() : data.append('\n')).append(line.substring(5).trim());
                    }
                }
                if (data != null) {
                    events.add(new SseEvent(id, retry, data.toString()));
                }
            }
            return events;
        }
    }

    @Test
    void idleSessionsExpire() throws Exception {
        try (TestingGateway shortLived = TestingGateway.start(home.resolve("idle"), """
                server:
                  sessionIdleTimeout: 1s
                """)) {
            URI endpoint = shortLived.baseUri().resolve("/mcp");
            HttpResponse<String> init = http.send(HttpRequest.newBuilder(endpoint).header("Content-Type", "application/json")
                    .header("Accept", BOTH).POST(HttpRequest.BodyPublishers.ofString(INITIALIZE.formatted("2025-11-25"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
            HttpRequest ping = HttpRequest.newBuilder(endpoint).header("Content-Type", "application/json").header("Accept", BOTH)
                    .header("Mcp-Session-Id", session)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}")).build();
            for (int i = 0; i < 4; i++) {
                Thread.sleep(400);
                assertThat(http.send(ping, HttpResponse.BodyHandlers.ofString()).statusCode()).as("kept alive by use").isEqualTo(200);
            }
            Thread.sleep(2500);
            assertThat(http.send(ping, HttpResponse.BodyHandlers.ofString()).statusCode()).as("after 1 s idle").isEqualTo(404);
        }
    }

    @Test
    void statelessModeNeedsNoSession() throws Exception {
        try (TestingGateway stateless = TestingGateway.start(home.resolve("stateless"), """
                server:
                  stateless: true
                backends:
                  - id: demo
                    transport: stdio
                    command: %s
                """.formatted(JavaCommand.yaml(DemoBackend.class))).awaitReady(Duration.ofSeconds(60))) {
            URI endpoint = stateless.baseUri().resolve("/mcp");
            HttpResponse<String> init = http.send(HttpRequest.newBuilder(endpoint).header("Content-Type", "application/json")
                    .header("Accept", BOTH).POST(HttpRequest.BodyPublishers.ofString(INITIALIZE.formatted("2025-11-25"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(init.headers().firstValue("Mcp-Session-Id")).isEmpty();
            HttpResponse<String> call = http.send(HttpRequest.newBuilder(endpoint).header("Content-Type", "application/json")
                    .header("Accept", BOTH).POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,"
                            + "\"method\":\"tools/call\",\"params\":{\"name\":\"demo__echo\",\"arguments\":{\"text\":\"free\"}}}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(call.statusCode()).isEqualTo(200);
            assertThat(json(call).path("result").path("content").get(0).path("text").asText()).isEqualTo("free");
            assertThat(http.send(HttpRequest.newBuilder(endpoint).header("Accept", "text/event-stream").GET().build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
        }
    }
}
