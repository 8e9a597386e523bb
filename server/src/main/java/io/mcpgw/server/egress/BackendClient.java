package io.mcpgw.server.egress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.GatewayVersion;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.spi.transport.BackendConnection;
import io.mcpgw.spi.transport.BackendTransport;
import io.mcpgw.spi.transport.ConnectionRequest;
import io.mcpgw.spi.transport.InboundHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One initialized MCP connection to a backend. Many requests are in flight at once: each gets an id of this
 * client's, and the backend's answer is matched back by it.
 */
final class BackendClient implements InboundHandler {

    /** The revision the gateway asks backends for; they may answer with an older one they support. */
    static final String PROTOCOL_VERSION = "2025-11-25";

    private static final Logger LOG = LogManager.getLogger(BackendClient.class);
    private static final long CLOSE_REASON_WAIT_MILLIS = 3000;

    /** Receives what the backend sends that is not an answer to a request. */
    interface Listener {
        void onNotification(BackendClient client, ObjectNode notification);

        void onClosed(BackendClient client, Optional<Throwable> cause);
    }

    private final String backendId;
    private final Listener listener;
    private final Map<Long, CompletableFuture<ObjectNode>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final CompletableFuture<Optional<Throwable>> closed = new CompletableFuture<>();
    private volatile BackendConnection connection;
    private volatile ObjectNode initializeResult;

    private BackendClient(String backendId, Listener listener) {
        this.backendId = backendId;
        this.listener = listener;
    }

    /** Opens a connection and completes the MCP handshake within {@code timeout}. */
    static BackendClient open(String backendId, BackendTransport transport, Duration timeout, Listener listener)
            throws IOException {
        BackendClient client = new BackendClient(backendId, listener);
        client.connection = transport.open(new ConnectionRequest(backendId, Map.of(), Map.of()), client);
        try {
            ObjectNode params = JsonRpc.MAPPER.createObjectNode().put("protocolVersion", PROTOCOL_VERSION);
            params.putObject("capabilities");
            params.putObject("clientInfo").put("name", "mcpgw").put("version", GatewayVersion.full());
            ObjectNode response = client.send("initialize", params).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (response.has("error")) {
                throw new IOException("initialize was refused: " + response.path("error").path("message").asText());
            }
            client.initializeResult = (ObjectNode) response.path("result");
            client.notify("notifications/initialized", null);
            return client;
        } catch (TimeoutException e) {
            client.close();
            throw new IOException("no answer to initialize within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            client.close();
            throw new IOException(client.closeReason().orElse(e.getCause().getMessage()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close();
            throw new IOException("interrupted while starting");
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    ObjectNode initializeResult() {
        return initializeResult;
    }

    /**
     * Sends a request; the future completes with the backend's whole response (a result or an error), or
     * exceptionally with a {@link GatewayException} when the backend is gone or too slow.
     */
    CompletableFuture<ObjectNode> request(String method, JsonNode params, Duration timeout) {
        CompletableFuture<ObjectNode> response = send(method, params);
        RequestDeadlines.watch(response, timeout.toNanos());
        return response.exceptionally(error -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof TimeoutException) {
                throw new GatewayException(ErrorCode.BACKEND_TIMEOUT,
                        "backend '" + backendId + "' did not answer " + method + " within " + timeout.toMillis() + " ms");
            }
            if (cause instanceof GatewayException gateway) {
                throw gateway;
            }
            throw new GatewayException(ErrorCode.BACKEND_UNAVAILABLE, "backend '" + backendId + "': " + cause.getMessage(), cause);
        });
    }

    private CompletableFuture<ObjectNode> send(String method, JsonNode params) {
        long id = ids.incrementAndGet();
        CompletableFuture<ObjectNode> response = new CompletableFuture<>();
        pending.put(id, response);
        response.whenComplete((ignored, error) -> pending.remove(id));
        try {
            connection.send(JsonRpc.write(JsonRpc.request(LongNode.valueOf(id), method, params)));
        } catch (IOException e) {
            response.completeExceptionally(new GatewayException(ErrorCode.BACKEND_UNAVAILABLE,
                    "backend '" + backendId + "' cannot be reached: " + closeReason().orElse(e.getMessage()), e));
        }
        return response;
    }

    void notify(String method, JsonNode params) {
        try {
            connection.send(JsonRpc.write(JsonRpc.notification(method, params)));
        } catch (IOException e) {
            LOG.debug("Notification {} to backend '{}' not delivered: {}", method, backendId, e.getMessage());
        }
    }

    int inFlight() {
        return pending.size();
    }

    boolean isOpen() {
        BackendConnection open = connection;
        return open != null && open.isOpen() && !closed.isDone();
    }

    void close() {
        BackendConnection open = connection;
        if (open != null) {
            open.close();
        }
    }

    /** Why the connection closed, if it did within a moment: "exited with code 2" beats "Broken pipe". */
    private Optional<String> closeReason() {
        try {
            return closed.get(CLOSE_REASON_WAIT_MILLIS, TimeUnit.MILLISECONDS).map(Throwable::getMessage);
        } catch (TimeoutException | ExecutionException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    @Override
    public void onMessage(String json) {
        JsonNode message;
        try {
            message = JsonRpc.MAPPER.readTree(json);
        } catch (IOException e) {
            LOG.warn("Backend '{}' sent a line that is not JSON; ignored: {}", backendId, abbreviate(json));
            return;
        }
        switch (JsonRpc.kind(message)) {
            case RESPONSE -> {
                CompletableFuture<ObjectNode> waiting = message.path("id").canConvertToLong()
                        ? pending.get(message.path("id").asLong()) : null;
                if (waiting == null) {
                    LOG.warn("Backend '{}' answered a request it was not asked (id {}); ignored", backendId, message.path("id"));
                } else {
                    waiting.complete((ObjectNode) message);
                }
            }
            case NOTIFICATION -> listener.onNotification(this, (ObjectNode) message);
            case REQUEST -> answerRequest((ObjectNode) message);
            case INVALID -> LOG.warn("Backend '{}' sent a message that is not JSON-RPC 2.0; ignored: {}", backendId, abbreviate(json));
        }
    }

    /** Requests from the backend: {@code ping} is answered here; others are refused until they can be routed. */
    private void answerRequest(ObjectNode request) {
        ObjectNode answer = "ping".equals(request.path("method").asText())
                ? JsonRpc.result(request.get("id"), JsonRpc.MAPPER.createObjectNode())
                : JsonRpc.error(request.get("id"), ErrorCode.METHOD_NOT_FOUND.code(),
                        "mcpgw does not forward " + request.path("method").asText() + " to clients");
        try {
            connection.send(JsonRpc.write(answer));
        } catch (IOException e) {
            LOG.debug("Answer to backend '{}' not delivered: {}", backendId, e.getMessage());
        }
    }

    @Override
    public void onClosed(Optional<Throwable> cause) {
        closed.complete(cause);
        GatewayException gone = new GatewayException(ErrorCode.BACKEND_UNAVAILABLE,
                "backend '" + backendId + "' connection closed" + cause.map(error -> ": " + error.getMessage()).orElse(""));
        pending.values().forEach(waiting -> waiting.completeExceptionally(gone));
        listener.onClosed(this, cause);
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
