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
     * Whether {@code resolve} answers from memory, never waiting on I/O or on a lock held for long. The gateway then runs
     * it on the socket's I/O thread that read the request, with no hop to another thread; the default (false) runs
     * it on a virtual thread, where waiting is fine. Declaring true and then blocking stalls every connection that
     * I/O thread serves.
     */
    default boolean neverBlocks() {
        return false;
    }

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
