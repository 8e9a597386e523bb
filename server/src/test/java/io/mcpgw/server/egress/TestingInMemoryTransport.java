package io.mcpgw.server.egress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.spi.transport.BackendConnection;
import io.mcpgw.spi.transport.BackendTransport;
import io.mcpgw.spi.transport.ConnectionRequest;
import io.mcpgw.spi.transport.InboundHandler;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A backend in this process for the unit tests of the egress: each connection is an MCP server speaking JSON-RPC
 * text as a real one does (initialize, tools/call), with two tools: {@code where}, answered at once with the
 * number of the connection it ran on, and {@code hold}, answered the same way once {@link #letGo} is called.
 */
final class TestingInMemoryTransport implements BackendTransport {

    /** One connection the gateway opened: its number (from 1), the headers it was opened with, and whether it ended. */
    record Opened(int number, Map<String, String> headers, AtomicBoolean closed) {}

    private final int maxConnections;
    private final int maxIsolatedConnections;
    private final List<Opened> opened = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch held = new CountDownLatch(1);

    TestingInMemoryTransport(int maxConnections, int maxIsolatedConnections) {
        this.maxConnections = maxConnections;
        this.maxIsolatedConnections = maxIsolatedConnections;
    }

    @Override
    public int maxConnections() {
        return maxConnections;
    }

    @Override
    public int maxIsolatedConnections() {
        return maxIsolatedConnections;
    }

    List<Opened> opened() {
        return List.copyOf(opened);
    }

    /** Answers every held call, and holds the next ones again. */
    void letGo() {
        CountDownLatch release = held;
        held = new CountDownLatch(1);
        release.countDown();
    }

    @Override
    public BackendConnection open(ConnectionRequest request, InboundHandler inbound) {
        Opened connection = new Opened(opened.size() + 1, request.headers(), new AtomicBoolean());
        opened.add(connection);
        return new BackendConnection() {
            @Override
            public void send(String json) throws IOException {
                if (connection.closed().get()) {
                    throw new IOException("connection " + connection.number() + " is closed");
                }
                JsonNode message = JsonRpc.MAPPER.readTree(json);
                if (!message.has("id") || !message.has("method")) {
                    return;
                }
                CountDownLatch wait = message.path("params").path("name").asText().equals("hold") ? held : null;
                Thread.ofVirtual().start(() -> {
                    try {
                        if (wait != null) {
                            wait.await();
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (!connection.closed().get()) {
                        inbound.onMessage(JsonRpc.write(JsonRpc.result(message.get("id"), answer(message, connection.number()))));
                    }
                });
            }

            @Override
            public boolean isOpen() {
                return !connection.closed().get();
            }

            @Override
            public void close() {
                if (connection.closed().compareAndSet(false, true)) {
                    inbound.onClosed(Optional.empty());
                }
            }
        };
    }

    private static ObjectNode answer(JsonNode request, int connection) {
        ObjectNode result = JsonRpc.MAPPER.createObjectNode();
        if (request.path("method").asText().equals("initialize")) {
            result.put("protocolVersion", "2025-11-25");
            result.putObject("capabilities").putObject("tools");
            result.putObject("serverInfo").put("name", "testing-in-memory").put("version", "1");
        } else {
            result.putArray("content").addObject().put("type", "text").set("text", TextNode.valueOf(String.valueOf(connection)));
        }
        return result;
    }
}
