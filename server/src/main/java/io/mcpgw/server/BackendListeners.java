package io.mcpgw.server;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.catalog.Catalog;
import io.mcpgw.server.egress.BackendManager;
import io.mcpgw.server.relay.Relay;
import io.mcpgw.server.session.ListChangedNotifier;

/**
 * Who hears what the backends do, wired in the one order that works: the catalog first, so that it is current
 * when the sessions are told their lists changed; and the relay, for what backends send to clients.
 */
@Singleton
final class BackendListeners {

    @Inject
    BackendListeners(BackendManager backends, Catalog catalog, ListChangedNotifier notifier, Relay relay) {
        backends.addListener(catalog);
        backends.addListener(notifier);
        backends.relayTo(relay);
    }
}
