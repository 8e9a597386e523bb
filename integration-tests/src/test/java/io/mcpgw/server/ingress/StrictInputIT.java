package io.mcpgw.server.ingress;

import static io.mcpgw.server.ingress.McpClientITSupport.INITIALIZE;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcpgw.testkit.TestingConfig;
import io.mcpgw.testkit.TestingGateway;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the gateway accepts at its edge, checked byte for byte over raw sockets: the {@code Host}, the JSON, the
 * HTTP framing. Everything else is refused with a status and a JSON-RPC error body, never a dropped connection.
 */
class StrictInputIT {

    private static final String PING = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}";

    @TempDir
    static Path home;

    private static TestingGateway gateway;
    private static String session;

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = TestingConfig.gateway().yaml("""
                server:
                  maxRequestBytes: 4096
                  allowedHosts: [mcp.internal]
                """).demoAndTesting("hello").startReady(home);
        RawHttp.Answer initialized = RawHttp.exchange(base(), RawHttp.postJson(INITIALIZE.formatted("2025-11-25")));
        assertThat(initialized.status()).isEqualTo(200);
        session = initialized.header("Mcp-Session-Id").orElseThrow();
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    private static URI base() {
        return gateway.baseUri();
    }

    private static RawHttp.Answer ping(String body, String... headers) throws Exception {
        String[] all = new String[headers.length + 1];
        all[0] = "Mcp-Session-Id: " + session;
        System.arraycopy(headers, 0, all, 1, headers.length);
        return RawHttp.exchange(base(), RawHttp.postJson(body, all));
    }

    private static int statusWithHost(String host) throws Exception {
        return RawHttp.exchange(base(), "POST /mcp HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
                + "Accept: application/json\r\nMcp-Session-Id: " + session + "\r\nConnection: close\r\nContent-Length: "
                + PING.length() + "\r\n\r\n" + PING).status();
    }

    @Test
    void onALoopbackListenerOnlyExactLoopbackNamesAndConfiguredOnesAreHosts() throws Exception {
        for (String allowed : new String[] {"127.0.0.1", "127.0.0.1:" + base().getPort(), "localhost", "LocalHost:80", "[::1]",
                "[::1]:8080", "mcp.internal", "mcp.internal:9000"}) {
            assertThat(statusWithHost(allowed)).as("Host: " + allowed).isEqualTo(200);
        }
        for (String refused : new String[] {"127.0.0.1.evil.com", "127.0.0.1.", "localhost.", "127.0.0.2", "127.1", "localhost:",
                "localhost:8o", "[::1]x", "[::1]:", "::1", "evil.mcp.internal", "attacker.example"}) {
            assertThat(statusWithHost(refused)).as("Host: " + refused).isIn(400, 403);
        }
    }

    @Test
    void invalidUtf8IsAParseError() throws Exception {
        RawHttp.Answer smuggled = ping("{\"jsonrpc\":\"2.0\",\"id\":2,\"meth\u00ffod\":\"tools/call\",\"method\":\"ping\"}");
        assertThat(smuggled.status()).isEqualTo(400);
        assertThat(smuggled.errorCode()).isEqualTo(-32700);
        assertThat(smuggled.json().path("id").isNull()).isTrue();

        RawHttp.Answer inAValue = ping("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"pi\u00c3\u0028ng\"}");
        assertThat(inAValue.status()).isEqualTo(400);
        assertThat(inAValue.errorCode()).isEqualTo(-32700);

        RawHttp.Answer overlong = ping("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"p\u00c1\u00a9ng\"}");
        assertThat(overlong.status()).isEqualTo(400);
        assertThat(overlong.errorCode()).isEqualTo(-32700);
    }

    @Test
    void duplicateKeysAreAnInvalidRequest() throws Exception {
        RawHttp.Answer duplicated = ping("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\",\"method\":\"tools/call\"}");
        assertThat(duplicated.status()).isEqualTo(400);
        assertThat(duplicated.errorCode()).isEqualTo(-32600);

        RawHttp.Answer nested = ping("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"demo__echo\","
                + "\"arguments\":{\"text\":\"a\",\"text\":\"b\"}}}");
        assertThat(nested.status()).isEqualTo(400);
        assertThat(nested.errorCode()).isEqualTo(-32600);
    }

    @Test
    void aStringIdIsEchoedExactlyOrRefused() throws Exception {
        RawHttp.Answer lone = ping("{\"jsonrpc\":\"2.0\",\"id\":\"a\\ud800\",\"method\":\"ping\"}");
        assertThat(lone.status()).isEqualTo(400);
        assertThat(lone.errorCode()).isEqualTo(-32600);
        assertThat(lone.json().path("id").isNull()).isTrue();

        RawHttp.Answer astral = ping("{\"jsonrpc\":\"2.0\",\"id\":\"\\ud83d\\ude00-\u00e9\",\"method\":\"ping\"}".replace("\u00e9", "\u00c3\u00a9"));
        assertThat(astral.status()).isEqualTo(200);
        assertThat(astral.json().path("id").asText()).isEqualTo("\ud83d\ude00-\u00e9");
    }

    @Test
    void theWebSocketTransportParsesAsStrictly() throws Exception {
        try (RawWebSocket socket = RawWebSocket.connect(URI.create(base().toString().replaceFirst("^http", "ws") + "/ws"))) {
            socket.send(INITIALIZE.formatted("2025-11-25"));
            assertThat(socket.next().path("result").has("protocolVersion")).isTrue();
            socket.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\",\"method\":\"tools/call\"}");
            assertThat(socket.next().path("error").path("code").asInt()).isEqualTo(-32600);
            socket.send("{\"jsonrpc\":\"2.0\",\"id\":\"a\\ud800\",\"method\":\"ping\"}");
            var lone = socket.next();
            assertThat(lone.path("error").path("code").asInt()).isEqualTo(-32600);
            assertThat(lone.path("id").isNull()).isTrue();
        }
    }

    @Test
    void aBatchNeverEchoesAnIdItCannotWriteBack() throws Exception {
        RawHttp.Answer initialized = RawHttp.exchange(base(), RawHttp.postJson(INITIALIZE.formatted("2025-03-26")));
        String legacy = initialized.header("Mcp-Session-Id").orElseThrow();
        RawHttp.Answer batch = RawHttp.exchange(base(), RawHttp.postJson(
                "[{\"jsonrpc\":\"2.0\",\"id\":\"a\\udc00\",\"method\":\"ping\"},{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]",
                "Mcp-Session-Id: " + legacy));
        assertThat(batch.status()).isEqualTo(200);
        assertThat(batch.json().get(0).path("error").path("code").asInt()).isEqualTo(-32600);
        assertThat(batch.json().get(0).path("id").isNull()).isTrue();
        assertThat(batch.json().get(1).path("id").asInt()).isEqualTo(1);
    }

    @Test
    void theContentTypeMustBeJsonWithOptionalParameters() throws Exception {
        String request = "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\nMcp-Session-Id: " + session
                + "\r\nConnection: close\r\nContent-Length: " + PING.length() + "\r\nContent-Type: ";
        for (String refused : new String[] {"application/jsonx", "application/json-seq", "text/json", "application/json,text/html"}) {
            RawHttp.Answer answer = RawHttp.exchange(base(), request + refused + "\r\n\r\n" + PING);
            assertThat(answer.status()).as(refused).isEqualTo(415);
            assertThat(answer.errorCode()).as(refused).isEqualTo(-32600);
        }
        for (String allowed : new String[] {"application/json", "Application/JSON", "application/json; charset=utf-8",
                "application/json;charset=UTF-8"}) {
            assertThat(RawHttp.exchange(base(), request + allowed + "\r\n\r\n" + PING).status()).as(allowed).isEqualTo(200);
        }
    }

    private static String chunkedPost(String transferEncoding, String chunkedBody) {
        return chunkedPost(session, transferEncoding, chunkedBody);
    }

    private static String chunkedPost(String session, String transferEncoding, String chunkedBody) {
        return "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAccept: application/json\r\n"
                + "Mcp-Session-Id: " + session + "\r\nTransfer-Encoding: " + transferEncoding + "\r\n\r\n" + chunkedBody;
    }

    @Test
    void aChunkedBodyIsServed() throws Exception {
        RawHttp.Answer answer = RawHttp.exchange(base(), chunkedPost("chunked",
                Integer.toHexString(PING.length()) + "\r\n" + PING + "\r\n0\r\n\r\n"));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("id").asInt()).isEqualTo(2);
    }

    @Test
    void aChunkedBodyWithExtensionsAndTrailersIsServedAndTheConnectionStaysUsable() throws Exception {
        String first = PING.substring(0, 10);
        String second = PING.substring(10);
        String chunked = chunkedPost("chunked", "00" + Integer.toHexString(first.length()).toUpperCase(Locale.ROOT)
                + ";name=value;quoted=\"a \\\"b\\\" c\"\r\n" + first + "\r\n"
                + Integer.toHexString(second.length()) + " ; spaced = out\t;bare\r\n" + second + "\r\n"
                + "000;last\r\nX-Checksum: abc \t\r\nX-Empty:\r\n\r\n");
        String next = RawHttp.postJson(PING.replace("\"id\":2", "\"id\":3"), "Mcp-Session-Id: " + session);
        try (Socket socket = new Socket(base().getHost(), base().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write((chunked + next).getBytes(StandardCharsets.ISO_8859_1));
            RawHttp.Answer answer = RawHttp.read(socket.getInputStream());
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.json().path("id").asInt()).isEqualTo(2);
            RawHttp.Answer pipelined = RawHttp.read(socket.getInputStream());
            assertThat(pipelined.status()).as("the request sent right after the chunked one").isEqualTo(200);
            assertThat(pipelined.json().path("id").asInt()).isEqualTo(3);
        }
    }

    /** Chunked bodies that break RFC 9112's grammar, each with what is wrong with it. */
    private static Map<String, String> malformedChunkedBodies() {
        String size = Integer.toHexString(PING.length());
        String end = "\r\n0\r\n\r\n";
        Map<String, String> malformed = new LinkedHashMap<>();
        malformed.put("a size that is not hexadecimal", "zz\r\n" + PING + end);
        malformed.put("a negative size", "-1\r\n" + PING + end);
        malformed.put("two sizes", "1 2\r\n" + PING + end);
        malformed.put("an empty size", "\r\n" + PING + end);
        malformed.put("a size with a sign", "+" + size + "\r\n" + PING + end);
        malformed.put("a size that overflows", "fffffffffffffffff\r\n" + PING + end);
        malformed.put("a size padded beyond any line", "0".repeat(5000) + size + "\r\n" + PING + end);
        malformed.put("data without its CRLF", size + "\r\n" + PING + "0\r\n\r\n");
        malformed.put("data longer than its size", Integer.toHexString(PING.length() - 1) + "\r\n" + PING + end);
        malformed.put("a bare LF", size + "\n" + PING + "\n0\n\n");
        malformed.put("a CR without LF", size + "\r" + PING + end);
        malformed.put("an extension without a name", size + ";\r\n" + PING + end);
        malformed.put("an extension with an empty value", size + ";a=\r\n" + PING + end);
        malformed.put("an extension with a space inside", size + ";a b\r\n" + PING + end);
        malformed.put("an extension with a separator in its name", size + ";a/b=c\r\n" + PING + end);
        malformed.put("an unterminated quoted extension", size + ";a=\"b\r\n" + PING + end);
        malformed.put("whitespace before the CRLF", size + " \r\n" + PING + end);
        malformed.put("an extension longer than any line", size + ";a=" + "b".repeat(5000) + "\r\n" + PING + end);
        malformed.put("a trailer without a colon", size + "\r\n" + PING + "\r\n0\r\nnot a field\r\n\r\n");
        malformed.put("a trailer with a control character", size + "\r\n" + PING + "\r\n0\r\nX-Sum: a\u0001b\r\n\r\n");
        malformed.put("a trailer with a space before its colon", size + "\r\n" + PING + "\r\n0\r\nX-Sum : a\r\n\r\n");
        malformed.put("trailers larger than any header section", size + "\r\n" + PING + "\r\n0\r\n"
                + ("X-Pad: " + "p".repeat(100) + "\r\n").repeat(100) + "\r\n");
        malformed.put("garbage after the last chunk", size + "\r\n" + PING + "\r\n0\r\n\rx\n");
        return malformed;
    }

    /** Each malformed chunked body POSTed to {@code base}/mcp in {@code session} gets a 400, then the connection ends. */
    private static void assertMalformedChunkedBodiesRefused(URI base, String session) throws Exception {
        try (CapturedLog log = CapturedLog.from(Level.WARN)) {
            malformedChunkedBodies().forEach((framing, body) -> {
                try {
                    RawHttp.Answer answer = RawHttp.exchangeToEnd(base, chunkedPost(session, "chunked", body));
                    assertThat(answer.status()).as(framing).isEqualTo(400);
                    assertThat(answer.errorCode()).as(framing).isEqualTo(-32700);
                    assertThat(answer.json().path("id").isNull()).as(framing).isTrue();
                    assertThat(answer.errorMessage()).as(framing).contains("chunked").hasSizeLessThan(200);
                    assertThat(answer.closed()).as(framing + ": the connection ends after the answer").isTrue();
                } catch (IOException e) {
                    throw new UncheckedIOException(framing, e);
                }
            });
            assertThat(log.text()).doesNotContain("\tat ").doesNotContain("Exception");
        }
        assertThat(RawHttp.exchange(base, RawHttp.postJson(PING, "Mcp-Session-Id: " + session)).status()).as("the gateway still serves")
                .isEqualTo(200);
    }

    @Test
    void aMalformedChunkedBodyGets400WithAJsonRpcErrorThenTheConnectionCloses() throws Exception {
        assertMalformedChunkedBodiesRefused(base(), session);
        try (CapturedLog log = CapturedLog.from(Level.WARN)) {
            RawHttp.Answer unread = RawHttp.exchangeToEnd(base(), chunkedPost("chunked", "zz\r\n" + PING + "\r\n0\r\n\r\n")
                    .replace("application/json\r\nAccept", "text/plain\r\nAccept"));
            assertThat(unread.status()).as("refused on its headers, the body unread").isEqualTo(415);
            assertThat(unread.errorCode()).isEqualTo(-32600);
            assertThat(unread.closed()).as("the body could not be skipped: the connection ends").isTrue();
            assertThat(log.text()).doesNotContain("\tat ").doesNotContain("Exception");
        }
    }

    @Test
    void aMalformedChunkedBodyReadOnAVirtualThreadIsRefusedTheSameWay() throws Exception {
        // a credential provider may block, so with one configured a POST is read on a virtual thread, not the I/O thread
        try (TestingGateway blocking = TestingConfig.gateway().yaml("""
                credentials:
                  - type: env
                    entries:
                      - { backend: "none-such*", environment: { TOKEN: "unused" } }
                """).demoAndTesting("hello").startReady(home.resolve("blocking"))) {
            RawHttp.Answer initialized = RawHttp.exchange(blocking.baseUri(), RawHttp.postJson(INITIALIZE.formatted("2025-11-25")));
            assertMalformedChunkedBodiesRefused(blocking.baseUri(), initialized.header("Mcp-Session-Id").orElseThrow());
        }
    }

    @Test
    void aTransferEncodingOtherThanChunkedIsRefused() throws Exception {
        for (String coding : new String[] {"gzip", "gzip, chunked", "identity", "chunked, chunked"}) {
            RawHttp.Answer answer = RawHttp.exchange(base(), chunkedPost(coding, Integer.toHexString(PING.length()) + "\r\n" + PING + "\r\n0\r\n\r\n"));
            assertThat(answer.status()).as(coding).isEqualTo(501);
            assertThat(answer.errorCode()).as(coding).isEqualTo(-32600);
        }
    }

    @Test
    void anOversizedChunkedBodyGets413AndNoStackTrace() throws Exception {
        String big = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"x\":\"" + "a".repeat(5000) + "\"}}";
        try (CapturedLog log = CapturedLog.from(Level.WARN)) {
            RawHttp.Answer oneChunk = RawHttp.exchange(base(), chunkedPost("chunked", Integer.toHexString(big.length()) + "\r\n" + big + "\r\n0\r\n\r\n"));
            assertThat(oneChunk.status()).isEqualTo(413);
            assertThat(oneChunk.errorCode()).isEqualTo(-32600);
            StringBuilder small = new StringBuilder();
            for (int i = 0; i < big.length(); i += 100) {
                String part = big.substring(i, Math.min(big.length(), i + 100));
                small.append(Integer.toHexString(part.length())).append("\r\n").append(part).append("\r\n");
            }
            RawHttp.Answer manyChunks = RawHttp.exchange(base(), chunkedPost("chunked", small + "0\r\n\r\n"));
            assertThat(manyChunks.status()).isEqualTo(413);
            assertThat(log.text()).doesNotContain("\tat ").doesNotContain("Exception");
        }
    }

    @Test
    void http09IsRefused() throws Exception {
        for (String path : new String[] {"/healthz", "/mcp"}) {
            RawHttp.Answer answer = RawHttp.exchange(base(), "GET " + path + " HTTP/0.9\r\n\r\n");
            assertThat(answer.status()).as(path).isEqualTo(505);
            assertThat(answer.errorCode()).as(path).isEqualTo(-32600);
        }
        assertThat(RawHttp.exchange(base(), "GET /healthz\r\n\r\n").status()).as("a request line without a version").isEqualTo(400);
        assertThat(RawHttp.exchange(base(), "GET /healthz HTTP/1.0\r\n\r\n").status()).as("HTTP/1.0 is still served").isEqualTo(200);
    }

    @Test
    void aChunkedBodyWithAContentLengthBesidesIsRefused() throws Exception {
        RawHttp.Answer answer = RawHttp.exchange(base(), chunkedPost("chunked", Integer.toHexString(PING.length()) + "\r\n" + PING
                + "\r\n0\r\n\r\n").replace("Transfer-Encoding:", "Content-Length: 5\r\nTransfer-Encoding:"));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("Connection")).hasValue("close");
    }

    @Test
    void errorMessagesEchoLittleOfTheClientsInputAndNothingOfTheLibraries() throws Exception {
        String longText = "x".repeat(3000);
        RawHttp.Answer origin = ping(PING, "Origin: https://" + longText + ".example");
        assertThat(origin.status()).isEqualTo(403);
        assertThat(origin.errorMessage()).hasSizeLessThan(200).contains("Origin");

        RawHttp.Answer version = ping(PING, "MCP-Protocol-Version: " + longText);
        assertThat(version.status()).isEqualTo(400);
        assertThat(version.errorMessage()).hasSizeLessThan(250).contains("Unsupported MCP-Protocol-Version");

        RawHttp.Answer path = RawHttp.exchange(base(), RawHttp.post("/servers/" + longText + "/mcp", PING,
                "Content-Type: application/json", "Accept: application/json"));
        assertThat(path.status()).isEqualTo(404);
        assertThat(path.errorMessage()).hasSizeLessThan(200);

        RawHttp.Answer token = ping("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":" + "t".repeat(3000) + "}");
        assertThat(token.status()).isEqualTo(400);
        assertThat(token.errorCode()).isEqualTo(-32700);
        assertThat(token.errorMessage()).hasSizeLessThan(200).doesNotContain("REDACTED", "StreamReadFeature", "jackson", "code 116");

        RawHttp.Answer method = ping("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"" + longText + "\"}");
        assertThat(method.errorCode()).isEqualTo(-32601);
        assertThat(method.errorMessage()).hasSizeLessThan(200);

        RawHttp.Answer tool = ping("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"" + "y".repeat(3000)
                + "\",\"arguments\":{}}}");
        assertThat(tool.body()).doesNotContain("y".repeat(200));
    }

    @Test
    void duringShutdownNewRequestsGet503WithAJsonRpcError() throws Exception {
        TestingGateway stopping = TestingConfig.gateway().yaml("""
                server:
                  shutdownTimeout: 10s
                """).demoAndTesting("hello").startReady(home.resolve("stopping"));
        URI stoppingBase = stopping.baseUri();
        RawHttp.Answer initialized = RawHttp.exchange(stoppingBase, RawHttp.postJson(INITIALIZE.formatted("2025-11-25")));
        String id = initialized.header("Mcp-Session-Id").orElseThrow();
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        CompletableFuture<RawHttp.Answer> slow = CompletableFuture.supplyAsync(() -> {
            try {
                return RawHttp.exchange(stoppingBase, RawHttp.postJson("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\","
                        + "\"params\":{\"name\":\"testing__slow\",\"arguments\":{\"millis\":3000}}}", "Mcp-Session-Id: " + id));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, threads);
        Thread.sleep(500);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(stopping::close, threads);
        Thread.sleep(300);
        RawHttp.Answer refused = RawHttp.exchange(stoppingBase, RawHttp.postJson(PING, "Mcp-Session-Id: " + id));
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.errorCode()).isEqualTo(-32603);
        assertThat(refused.json().path("id").isNull()).isTrue();
        assertThat(slow.get().json().path("result").path("content").get(0).path("text").asText()).isEqualTo("slept 3000");
        closing.get();
        threads.close();
    }
}
