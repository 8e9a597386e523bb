package io.mcpgw.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client speaking raw MCP 2026-07-28 over Streamable HTTP, for tests that look at every status, header and error:
 * each request carries the per-request {@code _meta} and the mirrored headers a conforming client sends, which a
 * test may override or leave out.
 */
public final class ModernMcp {

    public static final String VERSION = "2026-07-28";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final TestingGateway gateway;
    private final String key;
    private final String endpoint;
    private final String capabilities;
    private final AtomicInteger ids = new AtomicInteger();

    /** {@code key} goes in {@code Authorization: Bearer} (null sends none); the client declares no capabilities. */
    public ModernMcp(TestingGateway gateway, String key, String endpoint) {
        this(gateway, key, endpoint, "{}");
    }

    private ModernMcp(TestingGateway gateway, String key, String endpoint, String capabilities) {
        this.gateway = gateway;
        this.key = key;
        this.endpoint = endpoint;
        this.capabilities = capabilities;
    }

    /** The same client declaring {@code capabilities} (a JSON object) on every request. */
    public ModernMcp declaring(String capabilities) {
        return new ModernMcp(gateway, key, endpoint, capabilities);
    }

    /** An HTTP answer: its status, headers, and the JSON-RPC messages in its body (one, or an SSE stream's). */
    public record Answer(int status, HttpHeaders headers, List<JsonNode> messages) {

        /** The last message: the request's response. */
        public JsonNode response() {
            return messages.isEmpty() ? JsonRpc.MAPPER.missingNode() : messages.getLast();
        }

        public JsonNode result() {
            return response().path("result");
        }

        public JsonNode error() {
            return response().path("error");
        }

        public boolean streamed() {
            return headers.firstValue("Content-Type").orElse("").startsWith("text/event-stream");
        }
    }

    /** A request with what a conforming client sends. */
    public Answer request(String method, String params) {
        return request(method, params, Map.of());
    }

    /**
     * A request whose headers {@code overrides} changes: a null value leaves that header out. In {@code params},
     * a {@code _meta} key set to null is left out of the defaults.
     */
    public Answer request(String method, String params, Map<String, String> overrides) {
        return send(body(ids.incrementAndGet(), method, params), method, overrides);
    }

    public Answer call(String tool, String arguments) {
        return request("tools/call", "{\"name\":\"" + tool + "\",\"arguments\":" + arguments + "}");
    }

    /** The body of a request with id {@code id}: {@code params} with the per-request {@code _meta} fields it does not set. */
    public ObjectNode body(int id, String method, String params) {
        ObjectNode given = (ObjectNode) read(params);
        ObjectNode meta = given.withObjectProperty("_meta");
        Map<String, JsonNode> defaults = new LinkedHashMap<>();
        defaults.put("io.modelcontextprotocol/protocolVersion", JsonRpc.MAPPER.getNodeFactory().textNode(VERSION));
        defaults.put("io.modelcontextprotocol/clientCapabilities", read(capabilities));
        defaults.put("io.modelcontextprotocol/clientInfo", read("{\"name\":\"modern-raw\",\"version\":\"1\"}"));
        defaults.forEach((name, value) -> {
            if (!meta.has(name)) {
                meta.set(name, value);
            }
        });
        List<String> absent = new ArrayList<>();
        meta.properties().forEach(entry -> {
            if (entry.getValue().isNull()) {
                absent.add(entry.getKey());
            }
        });
        absent.forEach(meta::remove);
        ObjectNode request = JsonRpc.MAPPER.createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
        request.set("params", given);
        return request;
    }

    /** Sends {@code body} with the headers a conforming client derives from it, changed by {@code overrides}. */
    public Answer send(ObjectNode body, String method, Map<String, String> overrides) {
        try {
            HttpResponse<String> response = HTTP.send(build(body, method, overrides).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers(), messages(response));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder build(ObjectNode body, String method, Map<String, String> overrides) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Accept", "application/json, text/event-stream");
        headers.put("MCP-Protocol-Version", body.path("params").path("_meta").path("io.modelcontextprotocol/protocolVersion").asText(VERSION));
        headers.put("Mcp-Method", method);
        JsonNode name = switch (method) {
            case "tools/call", "prompts/get" -> body.path("params").path("name");
            case "resources/read" -> body.path("params").path("uri");
            case "tasks/get", "tasks/update", "tasks/cancel" -> body.path("params").path("taskId");
            default -> JsonRpc.MAPPER.missingNode();
        };
        if (name.isTextual()) {
            headers.put("Mcp-Name", name.asText());
        }
        headers.putAll(overrides);
        HttpRequest.Builder builder = HttpRequest.newBuilder(gateway.baseUri().resolve(endpoint)).timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(JsonRpc.write(body)));
        headers.forEach((header, value) -> {
            if (value != null) {
                builder.header(header, value);
            }
        });
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        return builder;
    }

    /**
     * A {@code subscriptions/listen} stream as it arrives: its status and headers, then each message and keep-alive
     * comment as the gateway writes it, read on a thread of its own until the stream ends or the test closes it.
     */
    public static final class Listening implements AutoCloseable {

        private final int status;
        private final HttpHeaders headers;
        private final InputStream body;
        private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
        private final AtomicInteger comments = new AtomicInteger();
        private final CountDownLatch ended = new CountDownLatch(1);

        private Listening(HttpResponse<InputStream> response) {
            this.status = response.statusCode();
            this.headers = response.headers();
            this.body = response.body();
            Thread.ofVirtual().name("listening").start(this::readAll);
        }

        private void readAll() {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (line.startsWith(":")) {
                        comments.incrementAndGet();
                    } else if (line.startsWith("data:") && !line.substring(5).isBlank()) {
                        messages.add(read(line.substring(5).strip()));
                    } else if (line.startsWith("{")) {
                        messages.add(read(line));
                    }
                }
            } catch (IOException closed) {
                // the test closed the stream, or the gateway went away: either ends it
            } finally {
                ended.countDown();
            }
        }

        public int status() {
            return status;
        }

        public HttpHeaders headers() {
            return headers;
        }

        /** The next message within {@code timeout}; fails the test when none comes. */
        public JsonNode next(Duration timeout) throws InterruptedException {
            JsonNode message = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (message == null) {
                throw new AssertionError("no message on the listen stream within " + timeout);
            }
            return message;
        }

        /** The next message if one comes within {@code timeout}. */
        public Optional<JsonNode> poll(Duration timeout) throws InterruptedException {
            return Optional.ofNullable(messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS));
        }

        /** How many SSE comment lines (keep-alives) arrived so far. */
        public int comments() {
            return comments.get();
        }

        /** Whether the gateway ended the stream within {@code timeout}. */
        public boolean ends(Duration timeout) throws InterruptedException {
            return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Closes the stream, as a client that stops listening does. */
        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    /** Opens a {@code subscriptions/listen} stream with the request id {@code id} and these {@code params}. */
    public Listening listen(int id, String params) {
        return listen(id, params, Map.of());
    }

    /** A {@code subscriptions/listen} whose headers {@code overrides} changes (a null value leaves that header out). */
    public Listening listen(int id, String params, Map<String, String> overrides) {
        HttpRequest request = build(body(id, "subscriptions/listen", params), "subscriptions/listen", overrides).build();
        try {
            return new Listening(HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<JsonNode> messages(HttpResponse<String> response) {
        List<JsonNode> messages = new ArrayList<>();
        if (response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
            response.body().lines().filter(line -> line.startsWith("data:")).map(line -> line.substring(5).strip())
                    .filter(data -> !data.isEmpty()).forEach(data -> messages.add(read(data)));
        } else if (!response.body().isEmpty()) {
            messages.add(read(response.body()));
        }
        return messages;
    }

    private static JsonNode read(String json) {
        try {
            return JsonRpc.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
