package io.mcpgw.server.egress;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.spi.transport.BackendConnection;
import io.mcpgw.spi.transport.ConnectionRequest;
import io.mcpgw.spi.transport.InboundHandler;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One MCP session with a Streamable HTTP backend. Each message is a POST; an answer comes back as JSON or on an
 * SSE stream, which is read on its own virtual thread and, if the backend closes it before the answer, resumed
 * with GET and {@code Last-Event-ID}. A GET stream carries what the backend says on its own (list_changed).
 * A 404 for the session means it ended at the backend: the connection closes, and the gateway opens and
 * initializes a new one.
 */
final class HttpConnection implements BackendConnection {

    private static final Logger LOG = LogManager.getLogger(HttpConnection.class);
    private static final long DEFAULT_RETRY_MILLIS = 1000;
    private static final int MAX_RESUMES = 10;

    private final HttpClient client;
    private final HttpSettings settings;
    private final Map<String, String> headers;
    private final InboundHandler inbound;
    private final String backendId;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile String sessionId;
    private volatile String protocolVersion;
    private volatile Thread serverStream;
    private volatile InputStream serverStreamBody;

    HttpConnection(HttpClient client, HttpSettings settings, ConnectionRequest request, InboundHandler inbound) {
        this.client = client;
        this.settings = settings;
        this.headers = merged(settings.headers(), request.headers());
        this.inbound = inbound;
        this.backendId = request.backendId();
    }

    private static Map<String, String> merged(Map<String, String> configured, Map<String, String> credentials) {
        Map<String, String> all = new LinkedHashMap<>(configured);
        all.putAll(credentials);
        return Map.copyOf(all);
    }

    @Override
    public void send(String json) throws IOException {
        if (closed.get()) {
            throw new IOException("connection to backend '" + backendId + "' is closed");
        }
        HttpResponse<InputStream> response;
        try {
            response = client.send(request()
                            .header("Content-Type", "application/json")
                            .header("Accept", "application/json, text/event-stream")
                            .POST(HttpRequest.BodyPublishers.ofString(json))
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        int status = response.statusCode();
        if (status == 404 && sessionId != null) {
            response.body().close();
            closeWith(new IOException("backend '" + backendId + "' ended its session (404)"));
            throw new IOException("backend '" + backendId + "' ended its session");
        }
        if (status == 202) {
            response.body().close();
            if (json.contains("\"notifications/initialized\"")) {
                openServerStream();
            }
            return;
        }
        if (status / 100 != 2) {
            String body = new String(response.body().readNBytes(300), StandardCharsets.UTF_8);
            response.body().close();
            throw new IOException("backend '" + backendId + "' answered HTTP " + status + (body.isBlank() ? "" : ": " + body));
        }
        response.headers().firstValue("Mcp-Session-Id").ifPresent(id -> sessionId = id);
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (contentType.startsWith("text/event-stream")) {
            InputStream body = response.body();
            Thread.ofVirtual().name("http-sse-" + backendId).start(() -> readStream(body, null, 0));
        } else {
            try (InputStream body = response.body()) {
                deliver(new String(body.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }

    private HttpRequest.Builder request() {
        // No per-request timeout here: the gateway's request timeout applies, and each one would cost a timer.
        HttpRequest.Builder builder = HttpRequest.newBuilder(settings.url());
        headers.forEach(builder::header);
        if (sessionId != null) {
            builder.header("Mcp-Session-Id", sessionId);
        }
        if (protocolVersion != null) {
            builder.header("MCP-Protocol-Version", protocolVersion);
        }
        return builder;
    }

    /**
     * Delivers one JSON body (a message or a batch). Until the handshake is done it is read here, for the
     * negotiated revision; after that a single message passes through as it came.
     */
    private void deliver(String body) {
        if (body.isBlank()) {
            return;
        }
        if (protocolVersion != null && body.charAt(0) == '{') {
            inbound.onMessage(body);
            return;
        }
        JsonNode parsed;
        try {
            parsed = JsonRpc.MAPPER.readTree(body);
        } catch (IOException e) {
            inbound.onMessage(body);
            return;
        }
        Iterable<JsonNode> messages = parsed.isArray() ? parsed : List.of(parsed);
        for (JsonNode message : messages) {
            String negotiated = message.path("result").path("protocolVersion").textValue();
            if (negotiated != null && protocolVersion == null && message.path("result").has("serverInfo")) {
                protocolVersion = negotiated;
            }
            inbound.onMessage(JsonRpc.write(message));
        }
    }

    /** Reads SSE events; if the stream ends early, resumes with GET and Last-Event-ID. */
    private void readStream(InputStream stream, String lastEventId, int resumes) {
        String eventId = lastEventId;
        long retryMillis = DEFAULT_RETRY_MILLIS;
        boolean answered = false;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        String event = data.toString();
                        answered |= isResponse(event);
                        deliver(event);
                        data.setLength(0);
                    }
                } else if (line.startsWith("data:")) {
                    data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).stripLeading());
                } else if (line.startsWith("id:")) {
                    eventId = line.substring(3).trim();
                } else if (line.startsWith("retry:")) {
                    retryMillis = parseRetry(line.substring(6).trim(), retryMillis);
                }
            }
        } catch (IOException e) {
            LOG.debug("SSE stream from backend '{}' broke: {}", backendId, e.getMessage());
        }
        if (!answered && eventId != null && !closed.get() && resumes < MAX_RESUMES) {
            sleep(retryMillis);
            resume(eventId, resumes + 1);
        }
    }

    private void resume(String lastEventId, int resumes) {
        try {
            HttpResponse<InputStream> response = client.send(request().header("Accept", "text/event-stream")
                    .header("Last-Event-ID", lastEventId).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() == 200) {
                readStream(response.body(), lastEventId, resumes);
            } else {
                response.body().close();
                LOG.warn("Backend '{}' refused to resume stream at {} (HTTP {})", backendId, lastEventId, response.statusCode());
            }
        } catch (IOException e) {
            LOG.warn("Backend '{}' stream could not be resumed: {}", backendId, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Keeps a GET stream open once the session is initialized, for what the backend says on its own; a backend
     * without one answers 405, and that is fine.
     */
    private void openServerStream() {
        if (serverStream != null || sessionId == null) {
            return;
        }
        serverStream = Thread.ofVirtual().name("http-get-" + backendId).start(() -> {
            while (!closed.get()) {
                try {
                    HttpResponse<InputStream> response = client.send(request().header("Accept", "text/event-stream").GET().build(),
                            HttpResponse.BodyHandlers.ofInputStream());
                    if (response.statusCode() != 200) {
                        response.body().close();
                        return;
                    }
                    serverStreamBody = response.body();
                    readStream(response.body(), null, MAX_RESUMES);
                } catch (IOException e) {
                    LOG.debug("GET stream of backend '{}' ended: {}", backendId, e.getMessage());
                } catch (InterruptedException e) {
                    return;
                }
                sleep(DEFAULT_RETRY_MILLIS);
            }
        });
    }

    private static boolean isResponse(String event) {
        try {
            return JsonRpc.kind(JsonRpc.MAPPER.readTree(event)) == JsonRpc.Kind.RESPONSE;
        } catch (IOException e) {
            return false;
        }
    }

    private static long parseRetry(String text, long fallback) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isOpen() {
        return !closed.get();
    }

    @Override
    public void close() {
        if (sessionId != null && !closed.get()) {
            try {
                client.send(request().DELETE().build(), HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                LOG.debug("Ending the session at backend '{}' failed: {}", backendId, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeWith(null);
    }

    private void closeWith(IOException cause) {
        if (closed.compareAndSet(false, true)) {
            Thread stream = serverStream;
            if (stream != null) {
                stream.interrupt();
            }
            InputStream body = serverStreamBody;
            if (body != null) {
                try {
                    body.close();
                } catch (IOException ignored) {
                    // the stream is being abandoned either way
                }
            }
            inbound.onClosed(Optional.ofNullable(cause));
        }
    }
}
