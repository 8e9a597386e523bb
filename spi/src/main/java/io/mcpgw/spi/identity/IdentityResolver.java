package io.mcpgw.spi.identity;

import java.util.Optional;

/**
 * Decides who is calling. The gateway asks once per client session (at {@code initialize}) and again for every
 * later request whose credentials must be checked against the session's principal.
 */
public interface IdentityResolver {

    /** Never throws for bad credentials: returns {@link IdentityResult.Rejected} instead. */
    IdentityResult resolve(RequestInfo request);

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
     * The identity every request gets, for a resolver that does not look at requests at all (no authentication):
     * the gateway then reads no credentials and throttles no failures. Empty, the default, for every resolver that
     * authenticates.
     */
    default Optional<Identity> fixedIdentity() {
        return Optional.empty();
    }

    /** For resolvers that take OAuth bearer tokens: what the gateway publishes about itself as a protected resource. */
    default Optional<ProtectedResource> protectedResource() {
        return Optional.empty();
    }
}
