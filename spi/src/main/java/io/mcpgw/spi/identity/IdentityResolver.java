package io.mcpgw.spi.identity;

import java.util.Optional;

/**
 * Decides who is calling. The gateway asks once per client session (at {@code initialize}) and again for every
 * later request whose credentials must be checked against the session's principal.
 */
public interface IdentityResolver {

    /** Never throws for bad credentials: returns {@link IdentityResult.Rejected} instead. */
    IdentityResult resolve(RequestInfo request);

    /** For resolvers that take OAuth bearer tokens: what the gateway publishes about itself as a protected resource. */
    default Optional<ProtectedResource> protectedResource() {
        return Optional.empty();
    }
}
