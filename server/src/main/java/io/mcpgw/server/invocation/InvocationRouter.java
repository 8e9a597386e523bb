package io.mcpgw.server.invocation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.catalog.Catalog;
import io.mcpgw.server.catalog.Target;
import io.mcpgw.server.catalog.View;
import io.mcpgw.server.egress.ListKind;
import io.mcpgw.server.egress.Upstream;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import io.mcpgw.server.jsonrpc.Params;
import io.mcpgw.server.session.ClientCall;
import io.mcpgw.server.session.Invocation;

/**
 * The first step of an invocation: the session's {@link View} names the backend that serves what the client asks
 * for, and the backend's own name replaces the client's in the parameters it gets.
 */
@Singleton
final class InvocationRouter {

    private final Catalog catalog;

    @Inject
    InvocationRouter(Catalog catalog) {
        this.catalog = catalog;
    }

    /** Routes one invocation; {@code -32602} for parameters that name nothing, and the catalog's error for a name it does not show. */
    Invocation route(ClientCall call, String method, JsonNode params, boolean onIoThread) {
        View view = call.session().view();
        return switch (method) {
            case "tools/call" -> named(call, method, ListKind.TOOLS, params, onIoThread);
            case "prompts/get" -> named(call, method, ListKind.PROMPTS, params, onIoThread);
            case "resources/read" -> {
                String uri = Params.text(params, "uri");
                yield new Invocation(call, catalog.routeResource(view, uri), method, uri, uri, null, params, onIoThread);
            }
            case "completion/complete" -> completion(call, params, onIoThread);
            default -> throw new IllegalArgumentException(method + " is not an invocation");
        };
    }

    /** The backend whose resource {@code uri} a subscription is about. */
    Upstream subscription(ClientCall call, String uri) {
        return catalog.routeSubscription(call.session().view(), uri);
    }

    private Invocation named(ClientCall call, String method, ListKind kind, JsonNode params, boolean onIoThread) {
        String name = Params.text(params, "name");
        Target target = catalog.route(call.session().view(), kind, name);
        ObjectNode forwarded = Params.shallowCopy(params).put("name", target.nativeName());
        return new Invocation(call, target.backend(), method, target.nativeName(), name, params.get("arguments"), forwarded, onIoThread);
    }

    private Invocation completion(ClientCall call, JsonNode params, boolean onIoThread) {
        View view = call.session().view();
        JsonNode ref = params.path("ref");
        ObjectNode forwarded = Params.shallowCopy(Params.object(params));
        return switch (ref.path("type").asText()) {
            case "ref/prompt" -> {
                String name = Params.text(ref, "name");
                Target target = catalog.route(view, ListKind.PROMPTS, name);
                forwarded.set("ref", Params.shallowCopy(ref).put("name", target.nativeName()));
                yield new Invocation(call, target.backend(), "completion/complete", target.nativeName(), name, null, forwarded, onIoThread);
            }
            case "ref/resource" -> {
                String uri = Params.text(ref, "uri");
                yield new Invocation(call, catalog.routeResource(view, uri), "completion/complete", uri, uri, null, forwarded, onIoThread);
            }
            default -> throw new GatewayException(ErrorCode.INVALID_PARAMS, "completion/complete needs ref.type ref/prompt or ref/resource");
        };
    }
}
