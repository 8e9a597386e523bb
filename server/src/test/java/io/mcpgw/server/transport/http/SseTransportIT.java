package io.mcpgw.server.transport.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mcpgw.server.InstallPaths;
import io.mcpgw.spi.transport.BackendConnection;
import io.mcpgw.spi.transport.ConnectionRequest;
import io.mcpgw.spi.transport.InboundHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import io.mcpgw.server.io.IoThreads;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The 2024-11-05 SSE client against a server on 127.0.0.1 whose stream the test writes event by event: the cases
 * a well-behaved reference server never shows (a foreign endpoint, a silent stream, a stream that ends).
 */
class SseTransportIT {

    private HttpServer server;
    private final IoThreads io = new IoThreads(1);
    private final BlockingQueue<String> posted = new LinkedBlockingQueue<>();
    private final CompletableFuture<OutputStream> stream = new CompletableFuture<>();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Optional<Throwable>> closed = new CompletableFuture<>();
    private final InboundHandler inbound = new InboundHandler() {
        @Override
        public void onMessage(String json) {
            received.add(json);
        }

        @Override
        public void onClosed(Optional<Throwable> cause) {
            closed.complete(cause);
        }
    };

    @BeforeEach
    void startServer() throws IOException {
        io.start();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/sse", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            stream.complete(exchange.getResponseBody());
        });
        server.createContext("/message", exchange -> {
            posted.add(exchange.getRequestHeaders().getFirst("Authorization") + " " + exchange.getRequestHeaders().getFirst("X-Static") + " "
                    + exchange.getRequestURI().getQuery() + " " + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            respond(exchange, 202);
        });
        server.createContext("/nothing", exchange -> respond(exchange, 404));
        server.start();
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        server.stop(0);
        io.stop();
    }

    private static void respond(HttpExchange exchange, int status) throws IOException {
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    private void event(String name, String data) throws Exception {
        OutputStream out = stream.get(10, TimeUnit.SECONDS);
        out.write(("event: " + name + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private CompletableFuture<BackendConnection> open(String path, Duration connectTimeout) {
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
        HttpTransport transport = new HttpTransport(io, new HttpSettings(url, Map.of("X-Static", "1"), connectTimeout, null), SseConnection::open,
                new InstallPaths(Path.of("")), Duration.ofSeconds(2));
        return CompletableFuture.supplyAsync(() -> {
            try {
                return transport.open(new ConnectionRequest("legacy", Map.of(), Map.of("Authorization", "Bearer backend-token")), inbound);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Test
    void postsToTheNamedEndpointAndDeliversTheStreamsMessagesInOrder() throws Exception {
        CompletableFuture<BackendConnection> opening = open("/sse", Duration.ofSeconds(10));
        event("endpoint", "/message?sessionId=abc");
        BackendConnection connection = opening.get(10, TimeUnit.SECONDS);

        connection.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}");
        assertThat(posted.poll(10, TimeUnit.SECONDS)).isEqualTo("Bearer backend-token 1 sessionId=abc {\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}");

        for (int i = 1; i <= 5; i++) {
            event("message", "{\"jsonrpc\":\"2.0\",\"method\":\"n\",\"params\":{\"i\":" + i + "}}");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 5);
        assertThat(received).extracting(json -> json.replaceAll(".*\"i\":(\\d).*", "$1")).containsExactly("1", "2", "3", "4", "5");

        stream.get().close();
        assertThat(closed.get(10, TimeUnit.SECONDS)).get().asString().contains("closed its SSE stream");
        assertThat(connection.isOpen()).isFalse();
        assertThatThrownBy(() -> connection.send("{}")).isInstanceOf(IOException.class);
    }

    @Test
    void anEndpointOnAnotherOriginIsRefused() throws Exception {
        CompletableFuture<BackendConnection> opening = open("/sse", Duration.ofSeconds(10));
        event("endpoint", "http://attacker.example/message?sessionId=abc");
        assertThatThrownBy(() -> opening.get(10, TimeUnit.SECONDS)).hasRootCauseInstanceOf(IOException.class)
                .rootCause().hasMessageContaining("named an endpoint on another origin");
        assertThat(posted).isEmpty();
        assertThat(closed).as("a connection that never opened is not reported closed").isNotDone();
    }

    @Test
    void aStreamThatNamesNoEndpointFailsWithinTheConnectTimeout() throws Exception {
        CompletableFuture<BackendConnection> opening = open("/sse", Duration.ofMillis(500));
        OutputStream out = stream.get(10, TimeUnit.SECONDS);
        out.write(": a comment, so the response head goes out\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        assertThatThrownBy(() -> opening.get(10, TimeUnit.SECONDS)).hasStackTraceContaining("named no endpoint within 500 ms");
    }

    @Test
    void aServerThatNeverAnswersFailsWithinTheConnectTimeout() {
        // This server holds the response head back until the first body bytes, which never come.
        CompletableFuture<BackendConnection> opening = open("/sse", Duration.ofMillis(500));
        assertThatThrownBy(() -> opening.get(10, TimeUnit.SECONDS)).rootCause().isInstanceOf(SocketTimeoutException.class);
        assertThatThrownBy(() -> opening.get()).hasMessageContaining("did not answer GET").hasMessageContaining("within PT0.5S");
    }

    @Test
    void somethingOtherThanAStreamIsRefused() {
        CompletableFuture<BackendConnection> opening = open("/nothing", Duration.ofSeconds(10));
        assertThatThrownBy(() -> opening.get(10, TimeUnit.SECONDS)).rootCause().hasMessageContaining("with HTTP 404").hasMessageContaining("not an SSE stream");
    }
}
