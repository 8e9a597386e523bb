package io.mcpgw.server.governance;

import io.mcpgw.server.catalog.View;
import io.mcpgw.server.session.ClientSession;
import java.util.Optional;

/**
 * What the halting limits of requests outside any session count under, as there is no session to count them: the
 * principal (tenant and client), the endpoint it calls ({@code /mcp}, a backend's, an agent's), and the correlation
 * the client names in {@code _meta["io.mcpgw/correlation"]} (none: all of the principal's requests there).
 */
record SessionlessKey(String tenant, String client, String endpoint, Optional<String> correlation) {

    static SessionlessKey of(ClientSession session) {
        View view = session.view();
        String endpoint = view.single().map(backend -> "servers/" + backend.id())
                .or(() -> view.agent().map(agent -> "agents/" + agent.name())).orElse("mcp");
        return new SessionlessKey(session.principal().tenant(), String.valueOf(session.principal().client()), endpoint, session.correlation());
    }
}
