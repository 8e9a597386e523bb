package io.mcpgw.server.governance;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.server.ingress.RawWebSocket;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.testkit.RawMcp;
import io.mcpgw.testkit.TestingGateway;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One initialized MCP session over one of the gateway's client transports, as a real client speaks it: Streamable
 * HTTP ({@code .../mcp}), WebSocket ({@code .../ws}) or the 2024-11-05 HTTP+SSE transport ({@code .../sse}).
 */
sealed interface McpChannel extends AutoCloseable {

    /** The client transports, by the last segment of their endpoints. */
    enum Transport {
        HTTP("mcp"), WS("ws"), SSE("sse");

        final String endpoint;

        Transport(String endpoint) {
            this.endpoint = endpoint;
        }
    }

    String INITIALIZE = """
            {"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},
             "clientInfo":{"name":"matrix","version":"1"}}}""";

    /** How long an answer may take before the test fails. */
    Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

    /**
     * A session at {@code <view>/<endpoint>} (view {@code ""}, {@code /servers/demo}, {@code /agents/coder}) with
     * {@code key} as its bearer token; empty when the gateway answers 404 (no such endpoint for this caller).
     */
    static Optional<McpChannel> open(TestingGateway gateway, Transport transport, String key, String view) {
        String path = view + "/" + transport.endpoint;
        return switch (transport) {
            case HTTP -> Http.open(gateway, key, path);
            case WS -> Ws.open(gateway, key, path);
            case SSE -> Sse.open(gateway, key, path);
        };
    }

    /** The answer to one request, whatever notifications come before it. */
    JsonNode request(String method, String params);

    @Override
    void close();

    /** The text of a request with this id. */
    static String requestText(int id, String method, String params) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}";
    }

    /** The answer with {@code id} from the messages {@code next} gives, skipping notifications and others' answers. */
    static JsonNode answerTo(int id, MessageSource next) {
        long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode message = next.poll(Duration.ofNanos(deadline - System.nanoTime()));
            if (message != null && message.has("id") && !message.has("method") && message.path("id").asInt(-1) == id) {
                return message;
            }
        }
        throw new AssertionError("no answer to request " + id + " within " + ANSWER_TIMEOUT);
    }

    /** Where a duplex channel's messages arrive. */
    interface MessageSource {
        /** The next message, or null after {@code timeout}. */
        JsonNode poll(Duration timeout);
    }

    /** Streamable HTTP: each request a POST, its answer the response. */
    record Http(RawMcp client) implements McpChannel {

        static Optional<McpChannel> open(TestingGateway gateway, String key, String path) {
            RawMcp client = new RawMcp(gateway, key, path);
            int status = client.initialize().statusCode();
            if (status == 404) {
                return Optional.empty();
            }
            if (status != 200) {
                throw new AssertionError("initialize at " + path + " answered " + status);
            }
            return Optional.of(new Http(client));
        }

        @Override
        public JsonNode request(String method, String params) {
            return client.request(method, params);
        }

        @Override
        public void close() {
            client.delete();
        }
    }

    /** WebSocket: one text frame per message. */
    final class Ws implements McpChannel {

        private final RawWebSocket socket;
        private final AtomicInteger ids = new AtomicInteger();

        private Ws(RawWebSocket socket) {
            this.socket = socket;
        }

        static Optional<McpChannel> open(TestingGateway gateway, String key, String path) {
            URI uri = URI.create(gateway.baseUri().toString().replaceFirst("^http", "ws") + path);
            RawWebSocket socket;
            try {
                socket = RawWebSocket.connect(uri, "Authorization", "Bearer " + key);
            } catch (CompletionException refused) {
                if (refused.getCause() instanceof WebSocketHandshakeException handshake && handshake.getResponse().statusCode() == 404) {
                    return Optional.empty();
                }
                throw refused;
            }
            Ws channel = new Ws(socket);
            socket.send(INITIALIZE);
            if (!answerTo(0, channel::poll).has("result")) {
                throw new AssertionError("initialize at " + path + " failed");
            }
            return Optional.of(channel);
        }

        private JsonNode poll(Duration timeout) {
            try {
                return socket.next(timeout);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public JsonNode request(String method, String params) {
            int id = ids.incrementAndGet();
            socket.send(requestText(id, method, params));
            return answerTo(id, this::poll);
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    /** The 2024-11-05 transport: a GET stream whose first event names where to POST; answers come on the stream. */
    final class Sse implements McpChannel {

        private static final HttpClient HTTP = HttpClient.newHttpClient();

        private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        private final AtomicInteger ids = new AtomicInteger();
        private final String key;
        private InputStream stream;
        private URI messages;

        private Sse(String key) {
            this.key = key;
        }

        static Optional<McpChannel> open(TestingGateway gateway, String key, String path) {
            Sse channel = new Sse(key);
            HttpResponse<InputStream> response = send(HttpRequest.newBuilder(gateway.baseUri().resolve(path))
                    .header("Accept", "text/event-stream").header("Authorization", "Bearer " + key).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() == 404) {
                return Optional.empty();
            }
            if (response.statusCode() != 200) {
                throw new AssertionError("GET " + path + " answered " + response.statusCode());
            }
            channel.stream = response.body();
            Thread.ofVirtual().name("sse-" + path).start(channel::read);
            String endpoint = channel.nextEvent(Duration.ofSeconds(10));
            if (endpoint == null || !endpoint.startsWith("endpoint: ")) {
                throw new AssertionError("the stream at " + path + " named no endpoint: " + endpoint);
            }
            channel.messages = gateway.baseUri().resolve(endpoint.substring("endpoint: ".length()));
            channel.post(INITIALIZE);
            if (!answerTo(0, channel::poll).has("result")) {
                throw new AssertionError("initialize at " + path + " failed");
            }
            return Optional.of(channel);
        }

        /** Reads events as "name: data" until the stream ends. */
        private void read() {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String name = "message";
                StringBuilder data = new StringBuilder();
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith("event:")) {
                        name = line.substring("event:".length()).trim();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring("data:".length()).trim());
                    } else if (line.isEmpty() && !data.isEmpty()) {
                        events.add(name + ": " + data);
                        name = "message";
                        data.setLength(0);
                    }
                }
            } catch (IOException ended) {
                // the stream closed: no more events
            }
        }

        private String nextEvent(Duration timeout) {
            try {
                return events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private JsonNode poll(Duration timeout) {
            String event = nextEvent(timeout);
            if (event == null || !event.startsWith("message: ")) {
                return null;
            }
            try {
                return JsonRpc.MAPPER.readTree(event.substring("message: ".length()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void post(String message) {
            int status = send(HttpRequest.newBuilder(messages).header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.ofString(message)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status != 202) {
                throw new AssertionError("POST " + messages + " answered " + status);
            }
        }

        @Override
        public JsonNode request(String method, String params) {
            int id = ids.incrementAndGet();
            post(requestText(id, method, params));
            return answerTo(id, this::poll);
        }

        @Override
        public void close() {
            try {
                stream.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) {
            try {
                return HTTP.send(request, body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
