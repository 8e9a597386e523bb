package io.mcpgw.server.ingress;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.catalog.View;
import io.mcpgw.server.mcp.McpDispatcher;
import io.mcpgw.server.mcp.SessionOpener;
import io.mcpgw.server.session.SessionStore;
import io.mcpgw.spi.identity.Identity;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The open sessions of the one-channel transports, so that stopping the gateway can end every one of them. */
@Singleton
final class DuplexSessions {

    private final McpDispatcher dispatcher;
    private final SessionOpener opener;
    private final SessionStore sessions;
    private final Set<DuplexSession> open = ConcurrentHashMap.newKeySet();

    @Inject
    DuplexSessions(McpDispatcher dispatcher, SessionOpener opener, SessionStore sessions) {
        this.dispatcher = dispatcher;
        this.opener = opener;
        this.sessions = sessions;
    }

    DuplexSession open(View view, Identity principal, DuplexSession.Channel channel) {
        DuplexSession session = new DuplexSession(dispatcher, opener, sessions, view, principal, channel, open::remove);
        open.add(session);
        return session;
    }

    void endAll() {
        List.copyOf(open).forEach(DuplexSession::end);
    }
}
