package io.mcpgw.server.ingress;

import static io.mcpgw.server.ingress.McpClientITSupport.INITIALIZE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.testkit.TestingConfig;
import io.mcpgw.testkit.TestingGateway;
import io.modelcontextprotocol.client.McpSyncClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MCP over WebSocket at {@code /ws}, checked with a raw WebSocket client: the handshake rules and the session. */
class WebSocketIT {


    @TempDir
    static Path home;

    private static TestingGateway gateway;

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

    private static URI ws(String path) {
        return URI.create(gateway.baseUri().toString().replaceFirst("^http", "ws") + path);
    }

    private static RawWebSocket initialized(String path) throws Exception {
        RawWebSocket socket = RawWebSocket.connect(ws(path));
        socket.send(INITIALIZE.formatted("2025-11-25"));
        assertThat(socket.next().path("result").path("protocolVersion").asText()).isEqualTo("2025-11-25");
        socket.send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        return socket;
    }

    private static String call(int id, String tool, String arguments) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool + "\",\"arguments\":" + arguments + "}}";
    }

    private static int handshakeStatus(URI uri, String... headers) {
        Throwable failure = catchThrowable(() -> RawWebSocket.connect(uri, headers));
        assertThat(failure).isInstanceOf(CompletionException.class).cause().isInstanceOf(WebSocketHandshakeException.class);
        return ((WebSocketHandshakeException) failure.getCause()).getResponse().statusCode();
    }

    @Test
    void handshakeIsCheckedBeforeTheUpgrade() throws Exception {
        try (RawWebSocket socket = RawWebSocket.connect(ws("/ws"), "Origin", "http://localhost:3000")) {
            assertThat(socket.subprotocol()).isEqualTo("mcp");
        }
        assertThat(handshakeStatus(ws("/ws"), "Origin", "https://evil.example")).isEqualTo(403);
        assertThat(handshakeStatus(ws("/servers/nope/ws"))).isEqualTo(404);

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> plain = http.send(HttpRequest.newBuilder(gateway.baseUri().resolve("/ws")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).isEqualTo(426);
        assertThat(plain.body()).contains("subprotocol mcp");

        // java.net.http always offers the subprotocols it was given, so a handshake without one is sent by hand.
        try (Socket raw = new Socket(gateway.baseUri().getHost(), gateway.baseUri().getPort())) {
            raw.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String status = new BufferedReader(new InputStreamReader(raw.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertThat(status).isEqualTo("HTTP/1.1 400 Bad Request");
        }
    }

    @Test
    void oneSocketCarriesTheWholeSession() throws Exception {
        try (RawWebSocket socket = RawWebSocket.connect(ws("/ws"))) {
            socket.send("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"tools/list\"}");
            JsonNode early = socket.next();
            assertThat(early.path("id").asInt()).isZero();
            assertThat(early.path("error").path("message").asText()).isEqualTo("Send initialize first");

            socket.send(INITIALIZE.formatted("2024-11-05"));
            JsonNode initialized = socket.next();
            assertThat(initialized.path("result").path("protocolVersion").asText()).isEqualTo("2024-11-05");
            assertThat(initialized.path("result").path("capabilities").has("tools")).isTrue();

            socket.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
            List<String> tools = new ArrayList<>();
            socket.next().path("result").path("tools").forEach(tool -> tools.add(tool.path("name").asText()));
            assertThat(tools).contains("demo__add", "testing__echo");

            socket.send(call(3, "demo__add", "{\"a\":2,\"b\":40}"));
            JsonNode added = socket.next();
            assertThat(added.path("id").asInt()).isEqualTo(3);
            assertThat(added.path("result").path("content").get(0).path("text").asText()).isEqualTo("42");

            socket.send("{not json");
            JsonNode parseError = socket.next();
            assertThat(parseError.path("id").isNull()).isTrue();
            assertThat(parseError.path("error").path("code").asInt()).isEqualTo(-32700);

            socket.send("[{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"ping\"}]");
            assertThat(socket.next().path("error").path("code").asInt()).isEqualTo(-32600);

            socket.send(INITIALIZE.formatted("2025-11-25"));
            assertThat(socket.next().path("error").path("message").asText()).contains("already initialized");

            socket.send("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\"}");
            assertThat(socket.next().path("result").isObject()).isTrue();
        }
    }

    @Test
    void notificationsAndCancellationTravelTheSocket() throws Exception {
        try (RawWebSocket socket = initialized("/ws")) {
            socket.send(call(10, "testing__add_tool", "{\"name\":\"ws_added\"}"));
            List<String> methods = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                JsonNode message = socket.next();
                methods.add(message.has("method") ? message.path("method").asText() : "answer " + message.path("id").asInt());
            }
            assertThat(methods).containsExactlyInAnyOrder("notifications/tools/list_changed", "answer 10");

            socket.send(call(11, "testing__wait_for_cancel", "{}"));
            Thread.sleep(200);
            socket.send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":11,\"reason\":\"changed my mind\"}}");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                socket.send(call(12, "testing__cancelled", "{}"));
                assertThat(socket.next().path("result").path("content").get(0).path("text").asText()).isNotEmpty();
            });
            assertThat(socket.next(Duration.ofMillis(500))).as("no late answer to the cancelled call").isNull();
        }
    }

    @Test
    void closingTheSocketEndsTheSession() throws Exception {
        try (McpSyncClient observer = McpClientITSupport.client(gateway, "/mcp", tools -> { })) {
            RawWebSocket socket = initialized("/ws");
            socket.send("{\"jsonrpc\":\"2.0\",\"id\":20,\"method\":\"resources/subscribe\",\"params\":{\"uri\":\"test://doc/1\"}}");
            assertThat(socket.next().path("result").isObject()).isTrue();
            assertThat(McpClientITSupport.text(observer.callTool(McpClientITSupport.call("testing__touch", Map.of("uri", "test://doc/1")))))
                    .isEqualTo("updated");
            assertThat(socket.next().path("method").asText()).isEqualTo("notifications/resources/updated");

            socket.close();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(McpClientITSupport.text(observer.callTool(
                    McpClientITSupport.call("testing__touch", Map.of("uri", "test://doc/1"))))).isEqualTo("not subscribed"));
        }
    }

    @Test
    void binaryFramesAndOversizedMessagesCloseTheSocket() throws Exception {
        try (RawWebSocket socket = initialized("/ws")) {
            socket.sendBinary(new byte[] {1, 2, 3});
            assertThat(socket.closed().get(10, TimeUnit.SECONDS)).isEqualTo(1003);
        }
        RawWebSocket big = initialized("/ws");
        big.send(call(30, "testing__echo", "{\"text\":\"" + "x".repeat(5000) + "\"}"));
        assertThat(big.closed().get(10, TimeUnit.SECONDS)).as("1009: message too big").isEqualTo(1009);
        assertThat(big.next(Duration.ofMillis(300))).as("no answer to the oversized message").isNull();
    }
}
