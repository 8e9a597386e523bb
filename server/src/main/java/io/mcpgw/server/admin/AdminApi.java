package io.mcpgw.server.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.http.HttpProblem;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The admin API under {@code /admin/} and Prometheus metrics at {@code /metrics}: every request needs one of the
 * configured bearer tokens ({@link AdminTokens}), then goes to its resource by {@link AdminRoutes}; JSON in and out,
 * errors as {@code application/problem+json}; definitions shown with their secrets redacted. Every change an
 * operator makes is audited, with which token made it.
 */
@Singleton
final class AdminApi implements HttpHandler {

    private static final Logger LOG = LogManager.getLogger(AdminApi.class);

    private final AdminTokens tokens;
    private final AdminRoutes routes = new AdminRoutes();

    @Inject
    AdminApi(AdminTokens tokens, MetricsResource metrics, GatewayResource gateway, BackendsResource backends,
            BackendToolsResource tools, SessionsResource sessions, AgentsResource agents, CallsResource calls,
            TenantsResource tenants, AuditResource audit, ClusterResource cluster) {
        this.tokens = tokens;
        List.of(metrics, gateway, backends, tools, sessions, agents, calls, tenants, audit, cluster).forEach(resource -> resource.register(routes));
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        exchange.startBlocking();
        try {
            exchange.putAttachment(AdminRoutes.ACTOR, tokens.authenticate(exchange));
            routes.route(exchange);
        } catch (HttpProblem problem) {
            problem(exchange, problem);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem(exchange, new HttpProblem(503, ErrorCode.INTERNAL_ERROR, "the gateway is stopping"));
        } catch (Exception e) {
            LOG.error("Admin request {} {} failed", exchange.getRequestMethod(), exchange.getRequestPath(), e);
            problem(exchange, new HttpProblem(ErrorCode.INTERNAL_ERROR, "the request failed; see the gateway's log"));
        }
    }

    /** The refusal as RFC 9457 problem details. */
    static void problem(HttpServerExchange exchange, HttpProblem problem) {
        if (exchange.isResponseStarted()) {
            return;
        }
        problem.headers().forEach((name, value) -> exchange.getResponseHeaders().put(new HttpString(name), value));
        ObjectNode body = JsonRpc.MAPPER.createObjectNode()
                .put("type", "about:blank")
                .put("title", problem.title())
                .put("status", problem.status())
                .put("detail", problem.getMessage())
                .put("instance", exchange.getRequestPath());
        exchange.setStatusCode(problem.status());
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/problem+json");
        exchange.getResponseSender().send(JsonRpc.write(body), StandardCharsets.UTF_8);
    }
}
