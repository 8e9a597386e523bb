package io.mcpgw.server.governance;

import io.mcpgw.server.config.TenantConfig;

/**
 * Where the live counts of tenants' quotas are kept: sessions open, invocations in flight, the rate bucket. The
 * local ledger keeps them in this process; a ledger shared between gateways gives every node the same account for
 * a tenant with the same settings, so a quota holds across them.
 */
public interface QuotaLedger {

    /** The account of {@code tenant} under these settings; a tenant whose settings change gets a fresh one. */
    QuotaAccount account(TenantConfig tenant);
}
