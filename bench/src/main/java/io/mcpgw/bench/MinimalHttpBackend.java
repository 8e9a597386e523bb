package io.mcpgw.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.UUID;

/**
 * The smallest Streamable HTTP MCP server that answers {@code tools/call}: one tool, {@code echo}, answered on the
 * I/O thread, so that what the harness measures is the gateway, not the backend.
 */
public final class MinimalHttpBackend implements AutoCloseable {

    private static final HttpString SESSION = new HttpString("Mcp-Session-Id");

    private final Undertow server;

    public MinimalHttpBackend() {
        server = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(this::handle).build();
        server.start();
    }

    public URI uri() {
        InetSocketAddress address = (InetSocketAddress) server.getListenerInfo().getFirst().getAddress();
        return URI.create("http://127.0.0.1:" + address.getPort() + "/mcp");
    }

    private void handle(HttpServerExchange exchange) {
        if (exchange.getRequestMethod().equals(Methods.DELETE)) {
            exchange.setStatusCode(204).endExchange();
            return;
        }
        if (!exchange.getRequestMethod().equals(Methods.POST)) {
            exchange.setStatusCode(405).endExchange();
            return;
        }
        exchange.getRequestReceiver().receiveFullBytes((done, body) -> {
            try {
                respond(done, JsonRpc.MAPPER.readTree(body));
            } catch (IOException e) {
                done.setStatusCode(400).endExchange();
            }
        });
    }

    private static void respond(HttpServerExchange exchange, JsonNode message) {
        if (!message.has("id")) {
            exchange.setStatusCode(202).endExchange();
            return;
        }
        JsonNode id = message.get("id");
        ObjectNode result = JsonRpc.MAPPER.createObjectNode();
        switch (message.path("method").asText()) {
            case "initialize" -> {
                result.put("protocolVersion", message.path("params").path("protocolVersion").asText("2025-11-25"));
                result.putObject("capabilities").putObject("tools");
                result.putObject("serverInfo").put("name", "minimal").put("version", "1");
                exchange.getResponseHeaders().put(SESSION, UUID.randomUUID().toString());
            }
            case "tools/list" -> result.putArray("tools").addObject().put("name", "echo")
                    .set("inputSchema", JsonRpc.MAPPER.createObjectNode().put("type", "object"));
            case "tools/call" -> result.putArray("content").addObject().put("type", "text")
                    .put("text", message.path("params").path("arguments").path("text").asText());
            default -> { }
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(JsonRpc.write(JsonRpc.result(id, result)));
    }

    @Override
    public void close() {
        server.stop();
    }
}
