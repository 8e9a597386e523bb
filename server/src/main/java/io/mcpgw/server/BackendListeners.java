package io.mcpgw.server;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.catalog.AgentRegistry;
import io.mcpgw.server.catalog.Agents;
import io.mcpgw.server.catalog.Catalog;
import io.mcpgw.server.egress.BackendManager;
import io.mcpgw.server.egress.BackendRegistry;
import io.mcpgw.server.relay.Relay;
import io.mcpgw.server.session.ListChangedNotifier;

/**
 * Who hears what the backends do, wired in the one order that works: the catalog first, so that it is current
 * when the sessions are told their lists changed; and the relay, for what backends send to clients. And who follows
 * the registries' changes: the backend manager, and the agents, then the catalog, which forgets what it built on
 * the agents before.
 */
@Singleton
final class BackendListeners {

    @Inject
    BackendListeners(BackendManager backends, Catalog catalog, ListChangedNotifier notifier, Relay relay,
            BackendRegistry backendDefinitions, Agents agents, AgentRegistry agentDefinitions) {
        backends.addListener(catalog);
        backends.addListener(notifier);
        backends.relayTo(relay);
        backendDefinitions.addListener(backends);
        agentDefinitions.addListener(agents);
        agentDefinitions.addListener(definitions -> catalog.invalidate());
    }
}
