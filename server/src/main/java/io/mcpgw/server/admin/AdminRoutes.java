package io.mcpgw.server.admin;

import io.mcpgw.server.http.HttpProblem;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.AttachmentKey;
import io.undertow.util.PathTemplateMatch;
import io.undertow.util.PathTemplateMatcher;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The admin API's routes: path templates on Undertow's {@link RoutingHandler}, each a method and a resource's
 * handler. A path no template matches is a 404; a path whose resource does not take the method a 405 with
 * {@code Allow} (the resource is the most specific template that matches, whatever the method: a POST to
 * {@code /admin/backends/x/tools} is refused there, not taken for an action named {@code tools}). One trailing
 * slash under {@code /admin/} is ignored.
 */
final class AdminRoutes {

    /** Which admin token made the request, set by the token filter before routing. */
    static final AttachmentKey<String> ACTOR = AttachmentKey.create(String.class);

    /** What a resource does for one method on one template. */
    interface Route {
        void handle(AdminRequest request) throws IOException, InterruptedException;
    }

    private final RoutingHandler routing = new RoutingHandler(false);
    private final PathTemplateMatcher<String> templates = new PathTemplateMatcher<>();
    private final Map<String, Set<String>> methods = new LinkedHashMap<>();

    AdminRoutes() {
        routing.setFallbackHandler(exchange -> {
            throw HttpProblem.notFound("No admin resource at " + exchange.getRequestPath());
        });
        routing.setInvalidMethodHandler(exchange -> {
            throw methodNotAllowed(exchange, resourceAt(exchange.getRelativePath()));
        });
    }

    AdminRoutes get(String template, Route route) {
        return add("GET", template, route);
    }

    AdminRoutes post(String template, Route route) {
        return add("POST", template, route);
    }

    AdminRoutes put(String template, Route route) {
        return add("PUT", template, route);
    }

    AdminRoutes delete(String template, Route route) {
        return add("DELETE", template, route);
    }

    private AdminRoutes add(String method, String template, Route route) {
        if (methods.putIfAbsent(template, new LinkedHashSet<>()) == null) {
            templates.add(template, template);
        }
        methods.get(template).add(method);
        routing.add(method, template, exchange -> {
            String resource = resourceAt(exchange.getRelativePath());
            if (!exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY).getMatchedTemplate().equals(resource)) {
                throw methodNotAllowed(exchange, resource);
            }
            route.handle(new AdminRequest(exchange, exchange.getAttachment(ACTOR)));
        });
        return this;
    }

    /** Answers the request by its route; a route's refusal is thrown as an {@link HttpProblem}. */
    void route(HttpServerExchange exchange) throws Exception {
        String path = exchange.getRelativePath();
        if (path.startsWith("/admin/") && path.endsWith("/")) {
            exchange.setRelativePath(path.substring(0, path.length() - 1));
        }
        routing.handleRequest(exchange);
    }

    /** The most specific template matching the path, whatever the method. */
    private String resourceAt(String path) {
        return templates.match(path).getValue();
    }

    private HttpProblem methodNotAllowed(HttpServerExchange exchange, String resource) {
        String method = exchange.getRequestMethod().toString();
        return new HttpProblem(405, ErrorCode.INVALID_REQUEST, method + " is not allowed here",
                Map.of("Allow", String.join(", ", methods.get(resource))));
    }
}
