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
    void aMissingVariableMeansNoAnswer() {
        CredentialRequest globex = new CredentialRequest("globex", "ci", "github");
        assertThat(EnvCredentialsFactory.expand("Bearer {env:GITHUB_TOKEN_{tenant}}", globex, ENVIRONMENT)).isEmpty();
    }
}
