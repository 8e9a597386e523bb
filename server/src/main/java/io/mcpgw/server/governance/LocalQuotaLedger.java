package io.mcpgw.server.governance;

import io.mcpgw.server.config.TenantConfig;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** The quota ledger of one process: counters and a {@link TokenBucket} in memory, per tenant's settings. */
public final class LocalQuotaLedger implements QuotaLedger {

    @Override
    public QuotaAccount account(TenantConfig tenant) {
        return new Account(tenant.quotas());
    }

    private static final class Account implements QuotaAccount {

        private final int maxSessions;
        private final Optional<TokenBucket> rate;
        private final AtomicInteger sessions = new AtomicInteger();
        private final AtomicInteger inFlight = new AtomicInteger();

        Account(TenantConfig.Quotas quotas) {
            this.maxSessions = quotas.maxSessions() == null ? Integer.MAX_VALUE : quotas.maxSessions();
            this.rate = Optional.ofNullable(quotas.requestsPerMinute()).map(perMinute -> new TokenBucket(perMinute, quotas.burst()));
        }

        @Override
        public boolean openSession() {
            if (sessions.incrementAndGet() > maxSessions) {
                sessions.decrementAndGet();
                return false;
            }
            return true;
        }

        @Override
        public void closeSession() {
            sessions.decrementAndGet();
        }

        @Override
        public long takeRequest() {
            return rate.map(TokenBucket::tryTake).orElse(0L);
        }

        @Override
        public int startCall() {
            return inFlight.incrementAndGet();
        }

        @Override
        public void endCall() {
            inFlight.decrementAndGet();
        }

        @Override
        public int sessions() {
            return sessions.get();
        }

        @Override
        public int callsInFlight() {
            return inFlight.get();
        }
    }
}
