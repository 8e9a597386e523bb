package io.mcpgw.server.ingress;

import static io.mcpgw.server.ingress.McpClientITSupport.INITIALIZE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.testkit.TestingConfig;
import io.mcpgw.testkit.TestingGateway;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one client can hold of the gateway: sockets that send slowly or not at all, connections, sessions, GET
 * streams, and guesses at credentials. Each limit is a {@code server.*} key; each refusal is spec-shaped.
 */
class EdgeLimitsIT {

    private static final String KEY = "edge-limits-key";
    private static final String PING = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}";

    @TempDir
    Path home;

    /** Reads until the server closes the socket; false if it is still open after {@code within}. */
    private static boolean closedWithin(Socket socket, Duration within) throws IOException {
        socket.setSoTimeout((int) within.toMillis());
        InputStream in = socket.getInputStream();
        try {
            while (in.read() >= 0) {
                // an answer (such as 408) may come before the close
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static Socket connect(URI base) throws IOException {
        return new Socket(base.getHost(), base.getPort());
    }

    @Test
    void slowHeadersAndIdleBodiesLoseTheirConnectionWhileSlowCallsAndQuietSocketsDoNot() throws Exception {
        try (TestingGateway gateway = TestingConfig.gateway().yaml("""
                server:
                  requestHeaderTimeout: 1s
                  requestIdleTimeout: 1s
                """).demoAndTesting("hello").startReady(home)) {
            URI base = gateway.baseUri();
            try (Socket silent = connect(base); Socket partialHeaders = connect(base); Socket idleBody = connect(base)) {
                partialHeaders.getOutputStream().write("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
                idleBody.getOutputStream().write(("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Accept: application/json\r\nContent-Length: 100\r\n\r\n{\"jsonrpc\"").getBytes(StandardCharsets.US_ASCII));
                assertThat(closedWithin(silent, Duration.ofSeconds(5))).as("a socket that sends nothing").isTrue();
                assertThat(closedWithin(partialHeaders, Duration.ofSeconds(5))).as("headers that never end").isTrue();
                assertThat(closedWithin(idleBody, Duration.ofSeconds(5))).as("a body that stops").isTrue();
            }

            RawHttp.Answer initialized = RawHttp.exchange(base, RawHttp.postJson(INITIALIZE.formatted("2025-11-25")));
            String session = initialized.header("Mcp-Session-Id").orElseThrow();
            RawHttp.Answer slow = RawHttp.exchange(base, RawHttp.postJson("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\","
                    + "\"params\":{\"name\":\"testing__slow\",\"arguments\":{\"millis\":2500}}}", "Mcp-Session-Id: " + session));
            assertThat(slow.json().path("result").path("content").get(0).path("text").asText())
                    .as("a call slower than the idle timeout").isEqualTo("slept 2500");

            try (RawWebSocket socket = RawWebSocket.connect(URI.create(base.toString().replaceFirst("^http", "ws") + "/ws"))) {
                socket.send(INITIALIZE.formatted("2025-11-25"));
                assertThat(socket.next().has("result")).isTrue();
                Thread.sleep(2500);
                socket.send(PING);
                assertThat(socket.next().path("id").asInt()).as("a WebSocket quiet for longer than the idle timeout").isEqualTo(2);
            }
        }
    }

    @Test
    void maxConnectionsBoundsOpenSockets() throws Exception {
        try (TestingGateway gateway = TestingGateway.start(home, """
                server:
                  ioThreads: 1
                  maxConnections: 3
                """)) {
            URI base = gateway.baseUri();
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    held.add(connect(base));
                }
                Thread.sleep(300);
                try (Socket waiting = connect(base)) {
                    waiting.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    waiting.setSoTimeout(1000);
                    assertThat(readsNothing(waiting.getInputStream())).as("a fourth connection is not served").isTrue();
                    held.removeFirst().close();
                    waiting.setSoTimeout(10_000);
                    assertThat(RawHttp.read(waiting.getInputStream()).status()).as("once one closed").isEqualTo(200);
                }
            } finally {
                for (Socket socket : held) {
                    socket.close();
                }
            }
        }
    }

    private static boolean readsNothing(InputStream in) throws IOException {
        try {
            in.read();
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        }
    }

    @Test
    void maxSessionsAndGetStreamsPerSessionAreBounded() throws Exception {
        try (TestingGateway gateway = TestingGateway.start(home, """
                server:
                  maxSessions: 2
                  maxStreamsPerSession: 2
                """)) {
            URI base = gateway.baseUri();
            String first = RawHttp.exchange(base, RawHttp.postJson(INITIALIZE.formatted("2025-11-25"))).header("Mcp-Session-Id").orElseThrow();
            assertThat(RawHttp.exchange(base, RawHttp.postJson(INITIALIZE.formatted("2025-11-25"))).status()).isEqualTo(200);
            RawHttp.Answer third = RawHttp.exchange(base, RawHttp.postJson(INITIALIZE.formatted("2025-11-25")));
            assertThat(third.status()).isEqualTo(429);
            assertThat(third.errorCode()).isEqualTo(-32009);
            assertThat(third.errorMessage()).contains("server.maxSessions");
            try (RawWebSocket socket = RawWebSocket.connect(URI.create(base.toString().replaceFirst("^http", "ws") + "/ws"))) {
                socket.send(INITIALIZE.formatted("2025-11-25"));
                assertThat(socket.next().path("error").path("code").asInt()).as("on WebSocket too").isEqualTo(-32009);
            }

            String get = "GET /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nMcp-Session-Id: " + first + "\r\n\r\n";
            try (Socket one = connect(base); Socket two = connect(base)) {
                for (Socket stream : List.of(one, two)) {
                    stream.getOutputStream().write(get.getBytes(StandardCharsets.US_ASCII));
                    stream.setSoTimeout(10_000);
                    assertThat(new String(stream.getInputStream().readNBytes(15), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200 OK");
                }
                RawHttp.Answer refused = RawHttp.exchange(base, get.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n"));
                assertThat(refused.status()).isEqualTo(409);
                assertThat(refused.errorCode()).isEqualTo(-32600);
                assertThat(refused.errorMessage()).contains("server.maxStreamsPerSession");
            }
        }
    }

    @Test
    void failedAuthenticationIsThrottledPerAddressAndAudited() throws Exception {
        try (TestingGateway gateway = TestingGateway.start(home, """
                server:
                  authFailuresPerMinute: 5
                admin:
                  tokens: ["admin-token-1234567890-abcdef"]
                identity:
                  type: api-key
                  keys:
                    - { sha256: "%s", tenant: acme, client: ci-bot }
                tenants:
                  - id: acme
                audit:
                  - type: file
                    path: trail.ndjson
                """.formatted(TestingConfig.sha256(KEY)));
                CapturedLog log = CapturedLog.from(Level.WARN)) {
            URI base = gateway.baseUri();
            List<Integer> statuses = new ArrayList<>();
            long started = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                statuses.add(RawHttp.exchange(base, RawHttp.postJson(PING, "Authorization: Bearer wrong-" + i)).status());
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(50));
            assertThat(statuses.subList(0, 5)).containsOnly(401);
            assertThat(statuses.subList(5, 200)).containsOnly(429);
            RawHttp.Answer throttled = RawHttp.exchange(base, RawHttp.postJson(INITIALIZE.formatted("2025-11-25"), "Authorization: Bearer " + KEY));
            assertThat(throttled.status()).as("even a good key, until the minute is over").isEqualTo(429);
            assertThat(throttled.errorCode()).isEqualTo(-32009);
            assertThat(Integer.parseInt(throttled.header("Retry-After").orElseThrow())).isBetween(1, 60);

            RawHttp.Answer admin = RawHttp.exchange(gateway.adminUri(), "GET /admin/status HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer admin-token-1234567890-abcdef\r\nConnection: close\r\n\r\n");
            assertThat(admin.status()).as("the admin listener shares the count").isEqualTo(429);

            await().atMost(Duration.ofSeconds(10)).until(() -> auditedFailures().size() == 5);
            JsonNode failure = auditedFailures().getFirst();
            assertThat(failure.path("outcome").asText()).isEqualTo("deny");
            assertThat(failure.toString()).contains("127.0.0.1").doesNotContain("wrong-0");
            assertThat(log.lines().stream().filter(line -> line.toLowerCase(Locale.ROOT).contains("failed authentication")))
                    .as("a line for the first failure and one for the throttle, not one per attempt").hasSize(2);
            assertThat(log.text()).doesNotContain("wrong-");
        }
    }

    private List<JsonNode> auditedFailures() throws IOException {
        List<JsonNode> failures = new ArrayList<>();
        Optional<Path> trail;
        try (Stream<Path> files = Files.walk(home)) {
            trail = files.filter(path -> path.getFileName().toString().equals("trail.ndjson")).findFirst();
        }
        for (String line : trail.isPresent() ? Files.readAllLines(trail.get()) : List.<String>of()) {
            JsonNode event = JsonRpc.MAPPER.readTree(line);
            if (event.path("type").asText().equals("auth_failed")) {
                failures.add(event);
            }
        }
        return failures;
    }

    @Test
    void aWebSocketClientThatCannotSetHeadersSendsItsTokenAsASubprotocol() throws Exception {
        try (TestingGateway gateway = TestingGateway.start(home, """
                identity:
                  type: api-key
                  keys:
                    - { sha256: "%s", tenant: acme, client: ci-bot }
                tenants:
                  - id: acme
                """.formatted(TestingConfig.sha256(KEY)));
                CapturedLog log = CapturedLog.from(Level.DEBUG)) {
            URI base = gateway.baseUri();
            String handshake = "GET /ws%s HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: %s\r\n\r\n";
            try (Socket socket = connect(base)) {
                socket.getOutputStream().write(handshake.formatted("", "mcp, bearer." + KEY).getBytes(StandardCharsets.US_ASCII));
                socket.setSoTimeout(10_000);
                String head = readHead(socket.getInputStream());
                assertThat(head).startsWith("HTTP/1.1 101 ");
                assertThat(head).containsIgnoringCase("Sec-WebSocket-Protocol: mcp\r\n").doesNotContain(KEY);
            }
            RawHttp.Answer noToken = RawHttp.exchange(base, handshake.formatted("", "mcp"));
            assertThat(noToken.status()).isEqualTo(401);
            RawHttp.Answer inTheUrl = RawHttp.exchange(base, handshake.formatted("?access_token=" + KEY + "&token=" + KEY, "mcp"));
            assertThat(inTheUrl.status()).as("a token in the URL is no credential").isEqualTo(401);
            RawHttp.Answer wrong = RawHttp.exchange(base, handshake.formatted("", "mcp, bearer.not-the-key"));
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(wrong.body()).doesNotContain("not-the-key");
            assertThat(log.text()).doesNotContain(KEY).doesNotContain("not-the-key");
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }
}
