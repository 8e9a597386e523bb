package io.mcpgw.server.egress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.GatewayVersion;
import io.mcpgw.server.config.BackendConfig;
import io.mcpgw.spi.transport.BackendConnection;
import io.mcpgw.spi.transport.BackendTransport;
import io.mcpgw.spi.transport.ConnectionRequest;
import io.mcpgw.spi.transport.InboundHandler;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** One configured backend: its transport, its connection, and the MCP handshake that proves it answers. */
final class Backend implements AutoCloseable {

    static final String PROTOCOL_VERSION = "2025-11-25";

    private static final Logger LOG = LogManager.getLogger(Backend.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INITIALIZE_ID = "mcpgw-initialize";
    private static final long CLOSE_REASON_WAIT_MILLIS = 3000;

    private final BackendConfig config;
    private final BackendTransport transport;
    private final CompletableFuture<JsonNode> initializeResponse = new CompletableFuture<>();
    private volatile BackendStatus status = BackendStatus.STARTING;
    private volatile BackendConnection connection;

    Backend(BackendConfig config, BackendTransport transport) {
        this.config = config;
        this.transport = transport;
    }

    String id() {
        return config.id();
    }

    BackendStatus status() {
        return status;
    }

    /** Opens the connection and waits for the backend's {@code initialize} answer, up to the startup timeout. */
    void connect() {
        try {
            connection = transport.open(new ConnectionRequest(config.id(), Map.of(), Map.of()), new Inbound());
            connection.send(JSON.writeValueAsString(initializeRequest()));
            JsonNode response = initializeResponse.get(config.startupTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (response.has("error")) {
                fail("initialize was refused: " + response.get("error").path("message").asText());
                return;
            }
            connection.send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            JsonNode serverInfo = response.path("result").path("serverInfo");
            status = new BackendStatus(BackendStatus.State.UP,
                    serverInfo.path("name").asText("?") + " " + serverInfo.path("version").asText(""));
            LOG.info("Backend '{}' is up: {}", config.id(), status.detail().trim());
        } catch (IOException e) {
            fail(closeReason().orElse(e.getMessage()));
        } catch (TimeoutException e) {
            fail("no answer to initialize within " + config.startupTimeout().toMillis() + " ms");
        } catch (ExecutionException e) {
            fail(e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while starting");
        }
    }

    /** Why the connection closed, when a send failed because it did: "exited with code 2" beats "Broken pipe". */
    private Optional<String> closeReason() {
        try {
            initializeResponse.get(CLOSE_REASON_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            return Optional.empty();
        } catch (ExecutionException e) {
            return Optional.ofNullable(e.getCause().getMessage());
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private ObjectNode initializeRequest() {
        ObjectNode request = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", INITIALIZE_ID).put("method", "initialize");
        ObjectNode params = request.putObject("params").put("protocolVersion", PROTOCOL_VERSION);
        params.putObject("capabilities");
        params.putObject("clientInfo").put("name", "mcpgw").put("version", GatewayVersion.full());
        return request;
    }

    private void fail(String reason) {
        status = new BackendStatus(BackendStatus.State.FAILED, reason);
        LOG.warn("Backend '{}' is unavailable: {}", config.id(), reason);
        BackendConnection failed = connection;
        if (failed != null) {
            failed.close();
        }
    }

    @Override
    public void close() {
        BackendConnection open = connection;
        if (open != null) {
            open.close();
        }
        transport.close();
    }

    private final class Inbound implements InboundHandler {
        @Override
        public void onMessage(String json) {
            try {
                JsonNode message = JSON.readTree(json);
                if (INITIALIZE_ID.equals(message.path("id").asText(null))) {
                    initializeResponse.complete(message);
                }
            } catch (IOException e) {
                LOG.warn("Backend '{}' sent a message that is not JSON: {}", config.id(), e.getMessage());
            }
        }

        @Override
        public void onClosed(Optional<Throwable> cause) {
            cause.ifPresent(error -> {
                initializeResponse.completeExceptionally(error);
                if (status.state() == BackendStatus.State.UP) {
                    status = new BackendStatus(BackendStatus.State.FAILED, error.getMessage());
                    LOG.warn("Backend '{}' went away: {}", config.id(), error.getMessage());
                }
            });
        }
    }
}
