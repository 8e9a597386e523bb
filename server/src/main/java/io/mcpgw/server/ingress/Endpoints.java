package io.mcpgw.server.ingress;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.catalog.Agents;
import io.mcpgw.server.catalog.View;
import io.mcpgw.server.egress.BackendManager;
import io.mcpgw.server.governance.Governance;
import io.mcpgw.server.http.HttpProblem;
import io.mcpgw.server.jsonrpc.ClientText;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.spi.identity.Identity;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.Optional;

/**
 * Which view a client-facing path serves, whatever the transport: {@code /<endpoint>} shows every backend,
 * {@code /servers/<id>/<endpoint>} one backend, {@code /agents/<name>/<endpoint>} what an agent uses (e.g.
 * {@code /mcp}, {@code /servers/demo/ws}, {@code /agents/coder/sse}).
 */
@Singleton
final class Endpoints {

    private static final String SERVERS = "/servers/";
    private static final String AGENTS = "/agents/";

    private final BackendManager backends;
    private final OriginPolicy origins;
    private final Authenticator authenticator;
    private final Governance governance;
    private final Agents agents;

    @Inject
    Endpoints(Agents agents, BackendManager backends, OriginPolicy origins, Authenticator authenticator, Governance governance) {
        this.agents = agents;
        this.backends = backends;
        this.origins = origins;
        this.authenticator = authenticator;
        this.governance = governance;
    }

    /** A request let in at an endpoint: the endpoint's view (before the caller's grants), and who the caller is. */
    record Admission(View view, Identity caller) {}

    /**
     * Lets a request in at {@code /[servers/<id>/]<endpoint>}: 403 when its {@code Origin} or {@code Host} is
     * refused, 401 or 403 when the caller is not known or its tenant not let in, and 404 when there is no such
     * endpoint, or none the caller's tenant may see (a backend it may not use looks like no backend at all).
     */
    Admission admit(HttpServerExchange exchange, String endpoint) {
        origins.check(exchange.getRequestHeaders().getFirst(Headers.ORIGIN), exchange.getRequestHeaders().getFirst(Headers.HOST))
                .ifPresent(refused -> {
                    throw new HttpProblem(403, ErrorCode.INVALID_REQUEST, refused);
                });
        Optional<View> view = view(exchange.getRequestPath(), endpoint);
        Identity caller = authenticator.authenticate(exchange);
        if (view.isEmpty() || !HttpExchanges.admitted(() -> governance.mayUse(view.get(), caller))) {
            throw new HttpProblem(404, ErrorCode.INVALID_REQUEST, "No MCP endpoint at " + ClientText.excerpt(exchange.getRequestPath()));
        }
        return new Admission(view.get(), caller);
    }

    private Optional<View> view(String path, String endpoint) {
        String suffix = "/" + endpoint;
        if (path.equals(suffix)) {
            return Optional.of(View.AGGREGATE);
        }
        if (path.startsWith(SERVERS) && path.endsWith(suffix) && path.length() > SERVERS.length() + suffix.length()) {
            return backends.upstream(path.substring(SERVERS.length(), path.length() - suffix.length())).map(View::of);
        }
        if (path.startsWith(AGENTS) && path.endsWith(suffix) && path.length() > AGENTS.length() + suffix.length()) {
            return agents.get(path.substring(AGENTS.length(), path.length() - suffix.length())).map(agent -> View.of(agent.agent()));
        }
        return Optional.empty();
    }

    /** The path of {@code endpoint} in the same view as {@code path}, which ends with {@code /<from>}. */
    static String sibling(String path, String from, String endpoint) {
        return path.substring(0, path.length() - from.length()) + endpoint;
    }
}
