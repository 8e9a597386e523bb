package io.mcpgw.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * An OpenTelemetry collector's OTLP/HTTP receiver for tests: it takes protobuf exports at {@code /v1/traces} and
 * {@code /v1/metrics} and answers as a collector does (200, an empty {@code application/x-protobuf} response,
 * which decodes as a full success). It keeps what arrived; it does not decode the payloads.
 */
public final class TestingOtlpCollector implements AutoCloseable {

    /** One export as it arrived; header names in lower case. */
    public record Export(String path, Map<String, String> headers, int bytes) {
        public String header(String name) {
            return headers.get(name);
        }
    }

    private final HttpServer server;
    private final List<Export> exports = new CopyOnWriteArrayList<>();

    public TestingOtlpCollector() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/", this::receive);
        server.start();
    }

    /** The base URL to configure as {@code telemetry.otlp.endpoint}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public List<Export> exports() {
        return List.copyOf(exports);
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.getFirst()));
            exports.add(new Export(exchange.getRequestURI().getPath(), Map.copyOf(headers), body.length));
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
