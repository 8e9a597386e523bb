package io.mcpgw.server.session;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.egress.ListKind;
import io.mcpgw.server.egress.Upstream;
import io.mcpgw.server.jsonrpc.JsonRpc;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Tells every session that sees a backend when its lists changed, on the session's GET stream, and every
 * {@code subscriptions/listen} stream whose view sees it (each takes the kinds its client opted in to). Heard after
 * the catalog (the gateway wires them in that order), so the catalog is current when a client lists again.
 */
@Singleton
public final class ListChangedNotifier implements Upstream.Events {

    private final SessionStore sessions;
    private final Listeners listeners;

    @Inject
    ListChangedNotifier(SessionStore sessions, Listeners listeners) {
        this.sessions = sessions;
        this.listeners = listeners;
    }

    @Override
    public void onCatalogChanged(Upstream backend, Set<ListKind> lists) {
        Set<String> notifications = new LinkedHashSet<>();
        lists.forEach(kind -> notifications.add(kind.changedNotification()));
        List<ClientSession> told = new ArrayList<>(sessions.all());
        told.addAll(listeners.all());
        for (ClientSession session : told) {
            if (session.view().shows(backend)) {
                notifications.forEach(method -> session.sendUnsolicited(JsonRpc.notification(method, null)));
            }
        }
    }
}
