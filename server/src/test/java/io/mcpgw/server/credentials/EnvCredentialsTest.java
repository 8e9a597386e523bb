package io.mcpgw.server.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpgw.spi.credentials.CredentialRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the {@code env} provider reads a value from the gateway's environment for one request. */
class EnvCredentialsTest {

    private static final Map<String, String> ENVIRONMENT = Map.of("GITHUB_TOKEN_ACME_CORP", "t-acme", "SHARED", "s");

    @Test
    void referencesAreReadPerTenantAndLiteralsKept() {
        CredentialRequest acme = new CredentialRequest("acme-corp", "ci", "github");
        assertThat(EnvCredentialsFactory.expand("Bearer {env:GITHUB_TOKEN_{tenant}}", acme, ENVIRONMENT)).hasValue("Bearer t-acme");
        assertThat(EnvCredentialsFactory.expand("{env:SHARED}/{env:SHARED}", acme, ENVIRONMENT)).hasValue("s/s");
        assertThat(EnvCredentialsFactory.expand("plain", acme, ENVIRONMENT)).hasValue("plain");
    }

    @Test
    void theNameAsWrittenIsTriedBeforeTheUpperCaseOne() {
        CredentialRequest acme = new CredentialRequest("acme-corp", "ci", "github");
        Map<String, String> both = Map.of("TOKEN_acme-corp", "exact", "TOKEN_ACME_CORP", "normalized");
        assertThat(EnvCredentialsFactory.expand("{env:TOKEN_{tenant}}", acme, both)).hasValue("exact");
        assertThat(EnvCredentialsFactory.expand("{env:TOKEN_{tenant}}", acme, Map.of("TOKEN_ACME_CORP", "normalized")))
                .hasValue("normalized");
    }

    @Test
    void missingNamesTheVariablesATenantLacks() {
        assertThat(EnvCredentialsFactory.missing("Bearer {env:GITHUB_TOKEN_{tenant}}", "github", "acme-corp", ENVIRONMENT)).isEmpty();
        assertThat(EnvCredentialsFactory.missing("{env:SHARED}:{env:GITHUB_TOKEN_{tenant}}", "github", "globex", ENVIRONMENT))
                .containsExactly("GITHUB_TOKEN_globex or GITHUB_TOKEN_GLOBEX");
        assertThat(EnvCredentialsFactory.missing("{env:TOKEN_{client}}", "github", "globex", ENVIRONMENT))
                .as("a per-client variable cannot be checked for a tenant").isEmpty();
    }

    @Test
    void aMissingVariableMeansNoAnswer() {
        CredentialRequest globex = new CredentialRequest("globex", "ci", "github");
        assertThat(EnvCredentialsFactory.expand("Bearer {env:GITHUB_TOKEN_{tenant}}", globex, ENVIRONMENT)).isEmpty();
    }
}
