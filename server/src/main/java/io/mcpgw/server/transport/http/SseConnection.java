package io.mcpgw.server.transport.http;

import io.mcpgw.spi.transport.BackendConnection;
import io.mcpgw.spi.transport.ConnectionRequest;
import io.mcpgw.spi.transport.InboundHandler;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One session with a backend that speaks only the 2024-11-05 HTTP+SSE transport. A GET stream stays open for the
 * whole session: its first event names the endpoint to POST messages to, and everything the backend says comes
 * on it. The stream ending ends the connection (the transport has no resumption); the gateway opens a new one.
 */
final class SseConnection implements BackendConnection {

    private static final Logger LOG = LogManager.getLogger(SseConnection.class);

    private final Http1Client client;
    private final URI url;
    private final Map<String, String> headers;
    private final InboundHandler inbound;
    private final String backendId;
    private final Http1Client.Response stream;
    private final CompletableFuture<String> endpoint = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean opened;

    private SseConnection(Http1Client client, URI url, Map<String, String> headers, InboundHandler inbound, String backendId,
            Http1Client.Response stream) {
        this.client = client;
        this.url = url;
        this.headers = headers;
        this.inbound = inbound;
        this.backendId = backendId;
        this.stream = stream;
    }

    /**
     * Opens the stream and waits for the endpoint it names; the response and the endpoint each come within the
     * backend's {@code connectTimeout}, or opening fails.
     */
    static SseConnection open(Http1Client client, HttpSettings settings, ConnectionRequest request, InboundHandler inbound) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>(settings.headers());
        headers.putAll(request.headers());
        Map<String, String> get = new LinkedHashMap<>(headers);
        get.put("Accept", "text/event-stream");
        URI url = settings.url();
        Http1Client.Response stream;
        try {
            stream = Http1Client.await(client.send("GET", target(url), get, null, settings.connectTimeout()));
        } catch (SocketTimeoutException e) {
            throw new IOException("backend '" + request.backendId() + "' did not answer GET " + url + " within " + settings.connectTimeout(), e);
        }
        String contentType = stream.header("Content-Type");
        if (stream.status() != 200 || contentType == null || !contentType.startsWith("text/event-stream")) {
            stream.close();
            throw new IOException("backend '" + request.backendId() + "' answered GET " + url + " with HTTP " + stream.status()
                    + (contentType == null ? "" : " (" + contentType + ")") + ", not an SSE stream");
        }
        SseConnection connection = new SseConnection(client, url, Map.copyOf(headers), inbound, request.backendId(), stream);
        Thread.ofVirtual().name("sse-" + request.backendId()).start(connection::read);
        connection.awaitEndpoint(settings.connectTimeout().toMillis());
        return connection;
    }

    private void awaitEndpoint(long timeoutMillis) throws IOException {
        try {
            endpoint.get(timeoutMillis, TimeUnit.MILLISECONDS);
            opened = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon();
            throw new IOException("interrupted while opening backend '" + backendId + "'", e);
        } catch (TimeoutException e) {
            abandon();
            throw new IOException("backend '" + backendId + "' named no endpoint within " + timeoutMillis + " ms", e);
        } catch (ExecutionException e) {
            abandon();
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    /** Reads the stream: the endpoint first, then every message, in order, until it ends. */
    private void read() {
        SseEventReader events = new SseEventReader(stream.body());
        IOException cause;
        try {
            SseEventReader.Event event;
            while ((event = events.next()) != null) {
                if (event.name().equals("endpoint")) {
                    endpoint.complete(sameOrigin(event.data()));
                } else if (event.name().equals("message")) {
                    inbound.onMessage(event.data());
                }
            }
            cause = new IOException("backend '" + backendId + "' closed its SSE stream");
        } catch (IOException e) {
            cause = e;
        }
        endpoint.completeExceptionally(cause);
        closeWith(cause);
    }

    /** The endpoint as a request target; one on another origin is refused, since credentials would go with it. */
    private String sameOrigin(String named) throws IOException {
        URI resolved = url.resolve(named.trim());
        if (!Objects.equals(resolved.getScheme(), url.getScheme()) || !Objects.equals(resolved.getHost(), url.getHost())
                || resolved.getPort() != url.getPort()) {
            throw new IOException("backend '" + backendId + "' named an endpoint on another origin: " + named);
        }
        return target(resolved);
    }

    private static String target(URI uri) {
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    @Override
    public void send(String json) throws IOException {
        if (closed.get()) {
            throw new IOException("connection to backend '" + backendId + "' is closed");
        }
        Map<String, String> post = new LinkedHashMap<>(headers);
        post.put("Content-Type", "application/json");
        W3CTraceContextPropagator.getInstance().inject(Context.current(), post, Map::put);
        try (Http1Client.Response response = Http1Client.await(client.send("POST", endpoint.join(), post, json.getBytes(StandardCharsets.UTF_8)))) {
            byte[] body = response.readBody();
            if (response.status() / 100 != 2) {
                String text = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
                throw new IOException("backend '" + backendId + "' answered HTTP " + response.status() + (text.isBlank() ? "" : ": " + text));
            }
        }
    }

    @Override
    public boolean isOpen() {
        return !closed.get();
    }

    @Override
    public void close() {
        closeWith(null);
    }

    /** Ends a connection that never opened: the handler hears nothing of it, since {@code open} fails instead. */
    private void abandon() {
        closed.set(true);
        stream.close();
    }

    private void closeWith(IOException cause) {
        if (closed.compareAndSet(false, true)) {
            stream.close();
            if (opened) {
                inbound.onClosed(Optional.ofNullable(cause));
            }
        } else if (cause != null) {
            LOG.debug("SSE stream of backend '{}' ended after close: {}", backendId, cause.getMessage());
        }
    }
}
