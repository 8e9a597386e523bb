package io.mcpgw.spi.credentials;

import java.util.Optional;

/**
 * Supplies the secrets a backend needs on behalf of a tenant. The gateway's broker asks the configured providers
 * in order and takes the first answer, caching it for the credentials' TTL. The transports inject the result
 * (environment of a stdio child, headers of an HTTP request); the client's own token never reaches a backend.
 */
public interface CredentialsProvider {

    /**
     * @return the credentials, or empty when this provider has none for the request (the next one is asked)
     * @throws RuntimeException when the provider cannot answer now (e.g. its store is down); the broker keeps
     *     serving cached values and fails calls that require credentials once those expire
     */
    Optional<Credentials> resolve(CredentialRequest request);

    /**
     * Whether this provider can tell, without asking a store, that it has nothing for {@code backend} and
     * {@code tenant}: checked at start for backends with {@code credentials: required}, and warned about when no
     * provider has any. The default (empty) means "has some, or cannot tell".
     *
     * @return why it has none (e.g. the variables that are not set), for the warning
     */
    default Optional<String> missingAtStart(String backend, String tenant) {
        return Optional.empty();
    }
}
