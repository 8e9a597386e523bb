package io.mcpgw.server.transport.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.server.io.IoThreads;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.mcpgw.spi.transport.BackendConnection;
import io.mcpgw.spi.transport.ConnectionRequest;
import io.mcpgw.spi.transport.InboundHandler;
import io.mcpgw.spi.transport.NotDeliveredException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One MCP session with a Streamable HTTP backend. Each message is a POST; an answer comes back as JSON or on an
 * SSE stream, which is read on its own virtual thread and, if the backend closes it before the answer, resumed
 * with GET and {@code Last-Event-ID}. A GET stream carries what the backend says on its own (list_changed, and
 * requests such as {@code roots/list} that belong to no call); no request after the handshake goes out before that
 * stream is open, since a backend drops what it would say there while none is.
 * A 404 for the session means it ended at the backend: the connection closes, and the gateway opens and
 * initializes a new one.
 *
 * <p>A message sent with headers of its own ({@link #sendAsync(String, Map)}) is a 2026-07-28 request: no session,
 * no GET stream, no resumption. An error status with a JSON-RPC answer to it is its answer (a modern backend says
 * {@code 400} or {@code 404} with the error); one without (a {@code 400}, {@code 404} or {@code 405} of a backend
 * that does not speak that revision) closes the connection and the message counts as never delivered, so the
 * gateway probes the backend's era again on a new connection and sends it there.
 */
final class HttpConnection implements BackendConnection {

    private static final Logger LOG = LogManager.getLogger(HttpConnection.class);
    private static final long DEFAULT_RETRY_MILLIS = 1000;
    private static final int MAX_RESUMES = 10;
    private static final String EVENT_STREAM = "text/event-stream";
    /** How much of an error answer is read: enough for a JSON-RPC error with its data. */
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final Http1Client client;
    private final String target;
    private final Map<String, String> headers;
    private final InboundHandler inbound;
    private final String backendId;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile String sessionId;
    private volatile String protocolVersion;
    private volatile Thread serverStream;
    private volatile Http1Client.Response serverStreamResponse;
    /** Completes once the GET stream is open, refused, or not coming within the connect timeout. */
    private final CompletableFuture<Void> listening = new CompletableFuture<>();
    private final Duration connectTimeout;

    HttpConnection(Http1Client client, HttpSettings settings, ConnectionRequest request, InboundHandler inbound) {
        this.client = client;
        this.target = settings.url().getRawPath() + (settings.url().getRawQuery() == null ? "" : "?" + settings.url().getRawQuery());
        Map<String, String> all = new LinkedHashMap<>(settings.headers());
        all.putAll(request.headers());
        this.headers = Map.copyOf(all);
        this.inbound = inbound;
        this.backendId = request.backendId();
        this.connectTimeout = settings.connectTimeout();
    }

    @Override
    public void send(String json) throws IOException {
        Http1Client.await(sendAsync(json).toCompletableFuture());
    }

    /**
     * POSTs the message. Its answer, when it comes as JSON, is handed on where the response was read (an I/O
     * thread); an event stream is read on a virtual thread of its own.
     */
    @Override
    public CompletableFuture<Void> sendAsync(String json) {
        if (closed.get()) {
            return CompletableFuture.failedFuture(new IOException("connection to backend '" + backendId + "' is closed"));
        }
        Context context = Context.current();
        if (listening.isDone() || protocolVersion == null) {
            return post(json, context, Map.of());
        }
        if (isInitialized(json)) {
            return post(json, context, Map.of()).whenComplete((ignored, error) -> {
                if (error != null) {
                    listening.complete(null);
                }
            });
        }
        // sent later, on the thread that saw the stream open: the caller's trace goes along
        return listening.thenCompose(ignored -> post(json, context, Map.of()));
    }

    /** POSTs a 2026-07-28 message with its {@code MCP-Protocol-Version}, {@code Mcp-Method}, {@code Mcp-Name} and {@code Mcp-Param-*} headers. */
    @Override
    public CompletableFuture<Void> sendAsync(String json, Map<String, String> messageHeaders) {
        if (messageHeaders.isEmpty()) {
            return sendAsync(json);
        }
        if (closed.get()) {
            return CompletableFuture.failedFuture(new IOException("connection to backend '" + backendId + "' is closed"));
        }
        return post(json, Context.current(), messageHeaders);
    }

    private CompletableFuture<Void> post(String json, Context context, Map<String, String> messageHeaders) {
        Map<String, String> request = requestHeaders("application/json, " + EVENT_STREAM);
        request.putAll(messageHeaders);
        request.put("Content-Type", "application/json");
        W3CTraceContextPropagator.getInstance().inject(context, request, Map::put);
        boolean modern = !messageHeaders.isEmpty();
        return client.send("POST", target, request, json.getBytes(StandardCharsets.UTF_8)).thenAccept(response -> {
            try {
                if (modern) {
                    acceptedModern(json, response);
                } else {
                    accepted(json, response);
                }
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        });
    }

    /**
     * The answer to a 2026-07-28 message: JSON, an SSE stream (not resumed), or an error status whose JSON-RPC body
     * is the answer. An error status without one means the backend does not speak that revision (any more).
     */
    private void acceptedModern(String json, Http1Client.Response response) throws IOException {
        int status = response.status();
        if (status / 100 != 2) {
            String body;
            try (response) {
                body = new String(response.body().readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
            }
            if (isAnswer(body)) {
                inbound.onMessage(body);
                return;
            }
            if (status == 400 || status == 404 || status == 405) {
                closeWith(new IOException("backend '" + backendId + "' answered a 2026-07-28 request with HTTP " + status
                        + " and no MCP error: it does not speak that revision"));
                throw new NotDeliveredException("backend '" + backendId + "' refused a 2026-07-28 request (HTTP " + status + ")");
            }
            throw new IOException("backend '" + backendId + "' answered HTTP " + status + (body.isBlank() ? "" : ": " + abbreviate(body)));
        }
        String contentType = response.header("Content-Type");
        if (status == 202 || contentType == null) {
            response.close();
        } else if (contentType.startsWith(EVENT_STREAM)) {
            Thread.ofVirtual().name("http-sse-" + backendId).start(() -> {
                if (!readStream(response, null, MAX_RESUMES) && !closed.get()) {
                    lost(json);
                }
            });
        } else {
            try (response) {
                String body = new String(response.readBody(), StandardCharsets.UTF_8);
                if (!body.isBlank()) {
                    inbound.onMessage(body);
                }
            }
        }
    }

    /**
     * A 2026-07-28 request whose response stream ended before its answer: it is lost (no resumption in that
     * revision), and its sender gets an error answer for it rather than waiting.
     */
    private void lost(String json) {
        try {
            JsonNode id = JsonRpc.MAPPER.readTree(json).get("id");
            if (id != null && !id.isNull()) {
                inbound.onMessage(JsonRpc.write(JsonRpc.error(id, ErrorCode.BACKEND_UNAVAILABLE.code(),
                        "backend '" + backendId + "' ended the response stream before its answer")));
            }
        } catch (IOException e) {
            LOG.debug("Backend '{}': a lost request could not be read back: {}", backendId, e.getMessage());
        }
    }

    /** Whether an error body is a JSON-RPC answer to a request (it has the request's id). */
    private static boolean isAnswer(String body) {
        try {
            JsonNode message = JsonRpc.MAPPER.readTree(body);
            return message != null && JsonRpc.kind(message) == JsonRpc.Kind.RESPONSE && !message.path("id").isNull()
                    && !message.path("id").isMissingNode();
        } catch (IOException e) {
            return false;
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }

    @Override
    public boolean sendsWithoutBlocking() {
        return true;
    }

    private void accepted(String json, Http1Client.Response response) throws IOException {
        int status = response.status();
        if (status == 404 && sessionId != null) {
            response.close();
            closeWith(new IOException("backend '" + backendId + "' ended its session (404)"));
            // The backend refused the message unread: it no longer knows the session.
            throw new NotDeliveredException("backend '" + backendId + "' ended its session");
        }
        if (status / 100 != 2) {
            String body = new String(response.body().readNBytes(300), StandardCharsets.UTF_8);
            response.close();
            throw new IOException("backend '" + backendId + "' answered HTTP " + status + (body.isBlank() ? "" : ": " + body));
        }
        String session = response.header("Mcp-Session-Id");
        if (session != null) {
            sessionId = session;
        }
        String contentType = response.header("Content-Type");
        if (!listening.isDone() && isInitialized(json)) {
            openServerStream();
        }
        if (status == 202 || contentType == null) {
            response.close();
        } else if (contentType.startsWith(EVENT_STREAM)) {
            Thread.ofVirtual().name("http-sse-" + backendId).start(() -> readStream(response, null, 0));
        } else {
            try (response) {
                deliver(new String(response.readBody(), StandardCharsets.UTF_8));
            }
        }
    }

    private Map<String, String> requestHeaders(String accept) {
        Map<String, String> request = new LinkedHashMap<>(headers);
        request.put("Accept", accept);
        if (sessionId != null) {
            request.put("Mcp-Session-Id", sessionId);
        }
        if (protocolVersion != null) {
            request.put("MCP-Protocol-Version", protocolVersion);
        }
        return request;
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

    /**
     * Reads SSE events; if the stream ends before an answer came, resumes with GET and Last-Event-ID. Whether an
     * answer came on this stream.
     */
    private boolean readStream(Http1Client.Response response, String lastEventId, int resumes) {
        SseEventReader events = new SseEventReader(response.body());
        boolean answered = false;
        try (response) {
            SseEventReader.Event event;
            while ((event = events.next()) != null) {
                answered |= isResponse(event.data());
                deliver(event.data());
            }
        } catch (IOException e) {
            LOG.debug("SSE stream from backend '{}' broke: {}", backendId, e.getMessage());
        }
        String eventId = events.lastEventId(lastEventId);
        if (!answered && eventId != null && !closed.get() && resumes < MAX_RESUMES) {
            sleep(events.retryMillis(DEFAULT_RETRY_MILLIS));
            resume(eventId, resumes + 1);
        }
        return answered;
    }

    private void resume(String lastEventId, int resumes) {
        try {
            Map<String, String> request = requestHeaders(EVENT_STREAM);
            request.put("Last-Event-ID", lastEventId);
            Http1Client.Response response = Http1Client.await(client.send("GET", target, request, null));
            if (response.status() == 200) {
                readStream(response, lastEventId, resumes);
            } else {
                response.close();
                LOG.warn("Backend '{}' refused to resume stream at {} (HTTP {})", backendId, lastEventId, response.status());
            }
        } catch (IOException e) {
            LOG.warn("Backend '{}' stream could not be resumed: {}", backendId, e.getMessage());
        }
    }

    /**
     * Keeps a GET stream open once the session is initialized, for what the backend says on its own; a backend
     * without one answers 405, and that is fine.
     */
    private void openServerStream() {
        if (serverStream != null || sessionId == null) {
            listening.complete(null);
            return;
        }
        listening.completeOnTimeout(null, connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
        serverStream = Thread.ofVirtual().name("http-get-" + backendId).start(() -> {
            while (!closed.get()) {
                try {
                    Http1Client.Response response = Http1Client.await(client.send("GET", target, requestHeaders(EVENT_STREAM), null));
                    listening.complete(null);
                    if (response.status() != 200) {
                        response.close();
                        return;
                    }
                    serverStreamResponse = response;
                    readStream(response, null, MAX_RESUMES);
                } catch (IOException e) {
                    listening.complete(null);
                    LOG.debug("GET stream of backend '{}' ended: {}", backendId, e.getMessage());
                }
                sleep(DEFAULT_RETRY_MILLIS);
            }
        });
    }

    private static boolean isInitialized(String json) {
        return json.contains("\"notifications/initialized\"");
    }

    private static boolean isResponse(String event) {
        try {
            return JsonRpc.kind(JsonRpc.MAPPER.readTree(event)) == JsonRpc.Kind.RESPONSE;
        } catch (IOException e) {
            return false;
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

    /** Ends the session at the backend too; on an I/O thread, where nothing may wait, without waiting for its answer. */
    @Override
    public void close() {
        if (sessionId != null && !closed.get()) {
            CompletableFuture<Http1Client.Response> ended = client.send("DELETE", target, requestHeaders("application/json"), null, connectTimeout);
            ended.thenAccept(Http1Client.Response::close);
            if (!IoThreads.onIoThread()) {
                try {
                    // bounded as a whole, whatever part of the answer the backend holds back
                    Http1Client.await(ended.orTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS));
                } catch (IOException e) {
                    LOG.debug("Ending the session at backend '{}' failed: {}", backendId, e.getMessage());
                }
            }
        }
        closeWith(null);
    }

    private void closeWith(IOException cause) {
        if (closed.compareAndSet(false, true)) {
            listening.complete(null);
            Http1Client.Response stream = serverStreamResponse;
            if (stream != null) {
                stream.close();
            }
            Thread reader = serverStream;
            if (reader != null) {
                reader.interrupt();
            }
            inbound.onClosed(Optional.ofNullable(cause));
        }
    }
}
