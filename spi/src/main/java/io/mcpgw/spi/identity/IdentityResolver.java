package io.mcpgw.spi.identity;

/**
 * Decides who is calling. The gateway asks once per client session (at {@code initialize}) and again for every
 * later request whose credentials must be checked against the session's principal.
 */
public interface IdentityResolver {

    /** Never throws for bad credentials: returns {@link IdentityResult.Rejected} instead. */
    IdentityResult resolve(RequestInfo request);
}
