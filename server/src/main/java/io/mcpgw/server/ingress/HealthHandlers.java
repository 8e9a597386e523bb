package io.mcpgw.server.ingress;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.egress.BackendManager;
import io.mcpgw.server.egress.BackendStatus;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /healthz}: the process serves HTTP. {@code GET /readyz}: 200 once every configured backend has been
 * tried (a failed backend does not hold readiness back: the gateway serves the others), 503 until then.
 */
@Singleton
final class HealthHandlers {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BackendManager backends;

    @Inject
    HealthHandlers(BackendManager backends) {
        this.backends = backends;
    }

    void live(HttpServerExchange exchange) {
        if (allowGet(exchange)) {
            send(exchange, 200, JSON.createObjectNode().put("status", "up"));
        }
    }

    void ready(HttpServerExchange exchange) {
        if (!allowGet(exchange)) {
            return;
        }
        boolean ready = backends.allTried();
        ObjectNode body = JSON.createObjectNode().put("status", ready ? "ready" : "starting");
        ObjectNode statuses = body.putObject("backends");
        for (Map.Entry<String, BackendStatus> entry : backends.statuses().entrySet()) {
            statuses.put(entry.getKey(), entry.getValue().state().name().toLowerCase(Locale.ROOT));
        }
        send(exchange, ready ? 200 : 503, body);
    }

    private static boolean allowGet(HttpServerExchange exchange) {
        if (exchange.getRequestMethod().equals(Methods.GET) || exchange.getRequestMethod().equals(Methods.HEAD)) {
            return true;
        }
        exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
        send(exchange, 405, JSON.createObjectNode().put("error", "method not allowed"));
        return false;
    }

    private static void send(HttpServerExchange exchange, int status, ObjectNode body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(body.toString());
    }
}
