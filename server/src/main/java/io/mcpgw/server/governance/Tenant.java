package io.mcpgw.server.governance;

import io.mcpgw.server.catalog.Grants;
import io.mcpgw.server.config.TenantConfig;

/** One tenant at run time: its grants, its sampling guard, and its account in the quota ledger. */
final class Tenant {

    final TenantConfig config;
    final Grants grants;
    final SamplingGuard sampling;
    final QuotaAccount quotas;

    Tenant(TenantConfig config, QuotaLedger ledger) {
        this.config = config;
        this.grants = Grants.of("tenant:" + config.id(), config.backendPatterns(), config.tools().allowPatterns(),
                config.tools().deny());
        this.sampling = new SamplingGuard("tenant '" + config.id() + "'", config.sampling());
        this.quotas = ledger.account(config);
    }
}
