package io.mcpgw.server.governance;

import io.mcpgw.server.catalog.Grants;
import io.mcpgw.server.config.TenantConfig;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** One tenant at run time: its grants, and the live state of its quotas. */
final class Tenant {

    final TenantConfig config;
    final Grants grants;
    final Optional<TokenBucket> rate;
    final SamplingGuard sampling;
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger sessions = new AtomicInteger();

    Tenant(TenantConfig config) {
        this.config = config;
        this.grants = Grants.of("tenant:" + config.id(), config.backendPatterns(), config.tools().allowPatterns(),
                config.tools().deny());
        TenantConfig.Quotas quotas = config.quotas();
        this.rate = Optional.ofNullable(quotas.requestsPerMinute()).map(perMinute -> new TokenBucket(perMinute, quotas.burst()));
        this.sampling = new SamplingGuard("tenant '" + config.id() + "'", config.sampling());
    }
}
