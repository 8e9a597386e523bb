package io.mcpgw.server.session;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.egress.ListKind;
import io.mcpgw.server.egress.Upstream;
import io.mcpgw.server.jsonrpc.JsonRpc;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Tells every session that sees a backend when its lists changed, on the session's GET stream. Heard after
 * the catalog (the gateway wires them in that order), so the catalog is current when a client lists again.
 */
@Singleton
public final class ListChangedNotifier implements Upstream.Events {

    private final SessionStore sessions;

    @Inject
    ListChangedNotifier(SessionStore sessions) {
        this.sessions = sessions;
    }

    @Override
    public void onCatalogChanged(Upstream backend, Set<ListKind> lists) {
        Set<String> notifications = new LinkedHashSet<>();
        lists.forEach(kind -> notifications.add(kind.changedNotification()));
        for (ClientSession session : sessions.all()) {
            if (session.view().shows(backend)) {
                notifications.forEach(method -> session.sendUnsolicited(JsonRpc.notification(method, null)));
            }
        }
    }
}
