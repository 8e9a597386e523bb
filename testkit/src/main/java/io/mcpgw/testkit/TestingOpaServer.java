package io.mcpgw.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mcpgw.server.jsonrpc.JsonRpc;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * An OPA server's Data API for tests: {@code POST /v1/data/<path>} with {@code {"input": ...}} answers
 * {@code {"result": ..., "decision_id": "..."}} from the rule the test installed at that path, and {@code {}} (an
 * undefined document, as OPA says it) for a path without one; other methods get 405, a body that is not JSON 400,
 * both with OPA's error shape. It can be slowed down, and it keeps the inputs it was asked about.
 */
public final class TestingOpaServer implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, Function<JsonNode, JsonNode>> rules = new ConcurrentHashMap<>();
    private final List<JsonNode> inputs = new CopyOnWriteArrayList<>();
    private volatile long delayMillis;

    public TestingOpaServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/data/", this::handle);
        server.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The rule at {@code path} (e.g. {@code mcpgw/allow}): the document for an input. */
    public TestingOpaServer rule(String path, Function<JsonNode, JsonNode> rule) {
        rules.put(path, rule);
        return this;
    }

    public void delay(long millis) {
        delayMillis = millis;
    }

    /** The inputs asked about, oldest first. */
    public List<JsonNode> inputs() {
        return List.copyOf(inputs);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                JsonExchanges.send(exchange, 405, error("method_not_allowed", "use POST"));
                return;
            }
            JsonNode body;
            try {
                body = JsonRpc.MAPPER.readTree(exchange.getRequestBody());
            } catch (IOException e) {
                JsonExchanges.send(exchange, 400, error("invalid_parameter", "body must be JSON"));
                return;
            }
            Thread.sleep(delayMillis);
            JsonNode input = body.path("input");
            inputs.add(input);
            Function<JsonNode, JsonNode> rule = rules.get(exchange.getRequestURI().getPath().substring("/v1/data/".length()));
            ObjectNode answer = JsonRpc.MAPPER.createObjectNode();
            if (rule != null) {
                answer.set("result", rule.apply(input));
                answer.put("decision_id", UUID.randomUUID().toString());
            }
            JsonExchanges.send(exchange, 200, answer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ObjectNode error(String code, String message) {
        return JsonRpc.MAPPER.createObjectNode().put("code", code).put("message", message);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
