package io.mcpgw.server.ingress;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.catalog.View;
import io.mcpgw.server.egress.BackendManager;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.Optional;

/**
 * Which view a client-facing path serves, whatever the transport: {@code /<endpoint>} shows every backend,
 * {@code /servers/<id>/<endpoint>} one backend (e.g. {@code /mcp}, {@code /servers/demo/ws}).
 */
@Singleton
final class Endpoints {

    private static final String SERVERS = "/servers/";

    private final BackendManager backends;
    private final OriginPolicy origins;

    @Inject
    Endpoints(BackendManager backends, OriginPolicy origins) {
        this.backends = backends;
        this.origins = origins;
    }

    /**
     * The view a request reaches at {@code /[servers/<id>/]<endpoint>}; 404 when there is none, 403 when its
     * {@code Origin} or {@code Host} is refused.
     */
    View admit(HttpServerExchange exchange, String endpoint) {
        View view = view(exchange.getRequestPath(), endpoint)
                .orElseThrow(() -> new HttpError(404, ErrorCode.INVALID_REQUEST, "No MCP endpoint at " + exchange.getRequestPath()));
        origins.check(exchange.getRequestHeaders().getFirst(Headers.ORIGIN), exchange.getRequestHeaders().getFirst(Headers.HOST))
                .ifPresent(refused -> {
                    throw new HttpError(403, ErrorCode.INVALID_REQUEST, refused);
                });
        return view;
    }

    private Optional<View> view(String path, String endpoint) {
        String suffix = "/" + endpoint;
        if (path.equals(suffix)) {
            return Optional.of(View.AGGREGATE);
        }
        if (path.startsWith(SERVERS) && path.endsWith(suffix) && path.length() > SERVERS.length() + suffix.length()) {
            return backends.get(path.substring(SERVERS.length(), path.length() - suffix.length())).map(View::of);
        }
        return Optional.empty();
    }

    /** The path of {@code endpoint} in the same view as {@code path}, which ends with {@code /<from>}. */
    static String sibling(String path, String from, String endpoint) {
        return path.substring(0, path.length() - from.length()) + endpoint;
    }
}
