package io.mcpgw.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import io.mcpgw.server.jsonrpc.JsonRpc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The JSON answer the testing servers built on the JDK's HTTP server give. */
public final class JsonExchanges {

    private JsonExchanges() {}

    public static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JsonRpc.write(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
