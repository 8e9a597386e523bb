package io.mcpgw.spi.credentials;

import java.util.Objects;

/**
 * For whom credentials are wanted.
 *
 * @param tenant the calling tenant
 * @param client the calling client
 * @param backend the backend id the credentials are for
 */
public record CredentialRequest(String tenant, String client, String backend) {

    public CredentialRequest {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(backend, "backend");
    }
}
