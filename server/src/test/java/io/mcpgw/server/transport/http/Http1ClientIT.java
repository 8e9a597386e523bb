package io.mcpgw.server.transport.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcpgw.server.io.IoThreads;
import io.mcpgw.spi.transport.NotDeliveredException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The non-blocking HTTP/1.1 client against a server on 127.0.0.1 that writes its answers byte for byte: framings,
 * connection reuse, and every way a server can fail a request, with whether the request may have arrived.
 */
class Http1ClientIT {

    /** What the server does with one accepted connection. */
    private interface Script {
        void serve(Socket socket, BufferedReader in, OutputStream out) throws Exception;
    }

    private final IoThreads io = new IoThreads(1);
    private final AtomicInteger accepted = new AtomicInteger();
    private ServerSocket server;
    private volatile Script script;
    private Http1Client client;

    @BeforeEach
    void start() throws IOException {
        io.start();
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    accepted.incrementAndGet();
                    Thread.ofVirtual().start(() -> {
                        try (socket) {
                            script.serve(socket, new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1)),
                                    socket.getOutputStream());
                        } catch (Exception ignored) {
                            // the script ended the connection
                        }
                    });
                } catch (IOException closed) {
                    return;
                }
            }
        });
        client = new Http1Client(io, URI.create("http://127.0.0.1:" + server.getLocalPort()), Duration.ofSeconds(2), Optional.empty());
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
        io.stop();
    }

    /** Reads one request (head and a Content-Length body) and returns its body. */
    private static String request(BufferedReader in) throws IOException {
        int length = 0;
        String line = in.readLine();
        if (line == null) {
            throw new IOException("no request");
        }
        while (!(line = in.readLine()).isEmpty()) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        char[] body = new char[length];
        int read = 0;
        while (read < length) {
            read += in.read(body, read, length - read);
        }
        return new String(body);
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private Http1Client.Response post(String body) throws IOException {
        return Http1Client.await(client.send("POST", "/mcp", Map.of("Content-Type", "application/json"), body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void keepsTheConnectionForTheNextRequest() throws Exception {
        script = (socket, in, out) -> {
            while (true) {
                String body = request(in);
                write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + (body.length() + 2) + "\r\n\r\n[" + body + "]");
            }
        };

        try (Http1Client.Response first = post("1")) {
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.header("content-type")).isEqualTo("application/json");
            assertThat(new String(first.readBody(), StandardCharsets.UTF_8)).isEqualTo("[1]");
        }
        try (Http1Client.Response second = post("22")) {
            assertThat(new String(second.readBody(), StandardCharsets.UTF_8)).isEqualTo("[22]");
        }
        assertThat(accepted).hasValue(1);
    }

    @Test
    void readsChunksWithExtensionsAndTrailers() throws Exception {
        script = (socket, in, out) -> {
            request(in);
            write(out, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5;name=x\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nX-Trailer: 1\r\n\r\n");
            request(in);
        };

        try (Http1Client.Response response = post("{}")) {
            assertThat(response.status()).isEqualTo(200);
            assertThat(new String(response.readBody(), StandardCharsets.UTF_8)).isEqualTo("hello world");
        }
    }

    @Test
    void handsOverAnEventStreamAtItsHead() throws Exception {
        CountDownLatch firstRead = new CountDownLatch(1);
        script = (socket, in, out) -> {
            request(in);
            write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
            write(out, "b\r\ndata: one\n\n\r\n");
            firstRead.await(5, TimeUnit.SECONDS);
            write(out, "b\r\ndata: two\n\n\r\n0\r\n\r\n");
        };

        try (Http1Client.Response response = post("{}")) {
            byte[] first = response.body().readNBytes(11);
            assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo("data: one\n\n");
            firstRead.countDown();
            assertThat(new String(response.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("data: two\n\n");
        }
    }

    @Test
    void readsABodyThatEndsWithTheConnection() throws Exception {
        script = (socket, in, out) -> {
            request(in);
            write(out, "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{\"whole\":true}");
            socket.shutdownOutput();
        };

        try (Http1Client.Response response = post("{}")) {
            assertThat(new String(response.readBody(), StandardCharsets.UTF_8)).isEqualTo("{\"whole\":true}");
        }
    }

    @Test
    void opensANewConnectionWhenTheServerClosedTheIdleOne() throws Exception {
        script = (socket, in, out) -> {
            request(in);
            write(out, "HTTP/1.1 204 No Content\r\n\r\n");
            socket.shutdownOutput();
            Thread.sleep(100);
        };
        post("{}").close();
        Thread.sleep(300);

        try (Http1Client.Response again = post("{}")) {
            assertThat(again.status()).isEqualTo(204);
        }
        assertThat(accepted).hasValue(2);
    }

    @Test
    void aRefusedConnectionNeverDeliveredTheRequest() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        Http1Client nowhere = new Http1Client(io, URI.create("http://127.0.0.1:" + port), Duration.ofSeconds(2), Optional.empty());

        CompletableFuture<Http1Client.Response> response = nowhere.send("POST", "/mcp", Map.of(), new byte[] {'{', '}'});

        assertThatThrownBy(() -> Http1Client.await(response)).isInstanceOf(NotDeliveredException.class).hasMessageContaining("cannot connect");
        nowhere.close();
    }

    @Test
    void aConnectionClosedAfterTheRequestMayHaveDeliveredIt() throws Exception {
        script = (socket, in, out) -> request(in);

        assertThatThrownBy(() -> post("{}")).isInstanceOf(IOException.class).isNotInstanceOf(NotDeliveredException.class)
                .hasMessageContaining("closed before a response");
    }

    @Test
    void aResponseHeadLaterThanItsTimeoutFails() throws Exception {
        script = (socket, in, out) -> {
            request(in);
            Thread.sleep(5_000);
        };

        long started = System.nanoTime();
        CompletableFuture<Http1Client.Response> response = client.send("GET", "/sse", Map.of(), null, Duration.ofMillis(300));

        assertThatThrownBy(() -> Http1Client.await(response)).isInstanceOf(SocketTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aServerThatIsNotHttpIsRefused() throws Exception {
        script = (socket, in, out) -> {
            request(in);
            write(out, "SSH-2.0-OpenSSH\r\n\r\n");
        };

        assertThatThrownBy(() -> post("{}")).isInstanceOf(IOException.class).hasMessageContaining("not an HTTP/1.1 response");
    }
}
