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
 * What the gateway says about itself without a session. {@code GET /healthz}: the process serves HTTP. {@code GET /readyz}: 200 once every configured backend has been
 * tried (a failed backend does not hold readiness back: the gateway serves the others), 503 until then.
 */
@Singleton
final class HealthHandlers {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BackendManager backends;
    private final Authenticator authenticator;

    @Inject
    HealthHandlers(BackendManager backends, Authenticator authenticator) {
        this.backends = backends;
        this.authenticator = authenticator;
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

    /** Whether the request is a GET or HEAD; anything else is answered 405 here. */
    static boolean allowGet(HttpServerExchange exchange) {
        if (exchange.getRequestMethod().equals(Methods.GET) || exchange.getRequestMethod().equals(Methods.HEAD)) {
            return true;
        }
        exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
        send(exchange, 405, JSON.createObjectNode().put("error", "method not allowed"));
        return false;
    }

    static void send(HttpServerExchange exchange, int status, ObjectNode body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(body.toString());
    }

    /**
     * {@code GET /.well-known/oauth-protected-resource[/<path>]}: the protected resource metadata (RFC 9728) of an
     * identity resolver that takes OAuth tokens; 404 when it does not.
     */
    void protectedResource(HttpServerExchange exchange) {
        if (!allowGet(exchange)) {
            return;
        }
        authenticator.protectedResource().ifPresentOrElse(resource -> {
            ObjectNode body = JSON.createObjectNode().put("resource", resource.resource());
            resource.authorizationServers().forEach(body.withArrayProperty("authorization_servers")::add);
            body.putArray("bearer_methods_supported").add("header");
            if (!resource.scopesSupported().isEmpty()) {
                resource.scopesSupported().forEach(body.withArrayProperty("scopes_supported")::add);
            }
            send(exchange, 200, body);
        }, () -> send(exchange, 404, JSON.createObjectNode().put("error", "this gateway takes no OAuth tokens (identity is not jwt)")));
    }
}
