package io.mcpgw.server;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import io.mcpgw.server.catalog.AgentRegistry;
import io.mcpgw.server.catalog.FilePinStore;
import io.mcpgw.server.catalog.LocalAgentRegistry;
import io.mcpgw.server.catalog.PinStore;
import io.mcpgw.server.egress.BackendRegistry;
import io.mcpgw.server.egress.LocalBackendRegistry;
import io.mcpgw.server.governance.LocalQuotaLedger;
import io.mcpgw.server.governance.QuotaLedger;
import io.mcpgw.server.session.LocalSessionStore;
import io.mcpgw.server.session.SessionStore;

/** The state seams bound to this process's own implementations: the one place a cluster would bind others. */
final class LocalStateModule extends AbstractModule {

    @Override
    protected void configure() {
        bind(SessionStore.class).to(LocalSessionStore.class);
        bind(QuotaLedger.class).to(LocalQuotaLedger.class).in(Singleton.class);
        bind(PinStore.class).to(FilePinStore.class);
        bind(BackendRegistry.class).to(LocalBackendRegistry.class);
        bind(AgentRegistry.class).to(LocalAgentRegistry.class);
    }
}
