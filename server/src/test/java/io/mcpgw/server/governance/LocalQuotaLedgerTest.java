package io.mcpgw.server.governance;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpgw.server.config.TenantConfig;
import org.junit.jupiter.api.Test;

class LocalQuotaLedgerTest {

    private final QuotaLedger ledger = new LocalQuotaLedger();

    private static TenantConfig tenant(TenantConfig.Quotas quotas) {
        return new TenantConfig("acme", quotas, null, null, null, null);
    }

    @Test
    void sessionsAreCappedAtMaxSessionsAndAPlaceGivenBackCanBeTakenAgain() {
        QuotaAccount account = ledger.account(tenant(new TenantConfig.Quotas(null, null, null, 2)));
        assertThat(account.openSession()).isTrue();
        assertThat(account.openSession()).isTrue();
        assertThat(account.openSession()).as("a third past maxSessions: 2").isFalse();
        assertThat(account.sessions()).as("the refused one took no place").isEqualTo(2);
        account.closeSession();
        assertThat(account.openSession()).isTrue();
        assertThat(account.sessions()).isEqualTo(2);
    }

    @Test
    void requestsAreTakenFromTheBurstThenWaitedFor() {
        QuotaAccount account = ledger.account(tenant(new TenantConfig.Quotas(60, 2, null, null)));
        assertThat(account.takeRequest()).isZero();
        assertThat(account.takeRequest()).isZero();
        assertThat(account.takeRequest()).as("the burst of 2 is spent: about a second until the next").isPositive()
                .isLessThanOrEqualTo(1_000_000_000L);
    }

    @Test
    void aTenantWithoutQuotasIsNeverRefusedAndItsCallsAreCounted() {
        QuotaAccount account = ledger.account(tenant(null));
        for (int i = 0; i < 1_000; i++) {
            assertThat(account.takeRequest()).isZero();
            assertThat(account.openSession()).isTrue();
        }
        assertThat(account.startCall()).isEqualTo(1);
        assertThat(account.startCall()).isEqualTo(2);
        account.endCall();
        assertThat(account.callsInFlight()).isEqualTo(1);
    }

    @Test
    void changedSettingsGetAFreshAccount() {
        TenantConfig.Quotas quotas = new TenantConfig.Quotas(null, null, null, 1);
        QuotaAccount before = ledger.account(tenant(quotas));
        assertThat(before.openSession()).isTrue();
        QuotaAccount after = ledger.account(tenant(new TenantConfig.Quotas(null, null, null, 5)));
        assertThat(after.sessions()).isZero();
        before.closeSession();
        assertThat(after.sessions()).as("a session admitted under the old settings gives its place back to the old account").isZero();
        assertThat(before.sessions()).isZero();
    }
}
