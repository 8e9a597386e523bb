package io.mcpgw.server.identity;

import io.mcpgw.spi.identity.Identity;
import io.mcpgw.spi.identity.IdentityResolver;
import io.mcpgw.spi.identity.IdentityResult;
import io.mcpgw.spi.identity.ProtectedResource;
import io.mcpgw.spi.identity.RequestInfo;
import java.util.List;
import java.util.Optional;

/**
 * Several {@code identity:} resolvers asked in turn, e.g. {@code mtls} then {@code jwt}: the first that knows the
 * caller decides. A 401 (no credential this resolver accepts) passes the request to the next; a 403 (known, not
 * allowed) ends it. When none knows the caller, the last one's refusal is the answer, so a client is told what the
 * last resolver expects (a bearer token's {@code WWW-Authenticate}, say).
 *
 * @param resolvers at least two, in the order they are asked
 */
public record IdentityChain(List<IdentityResolver> resolvers) implements IdentityResolver {

    public IdentityChain {
        resolvers = List.copyOf(resolvers);
        if (resolvers.size() < 2) {
            throw new IllegalArgumentException("a chain has at least two resolvers");
        }
    }

    /** One resolver as it is, several as a chain, none as {@code none}. */
    public static IdentityResolver of(List<IdentityResolver> resolvers) {
        return switch (resolvers.size()) {
            case 0 -> NoneIdentityFactory.unconfigured();
            case 1 -> resolvers.getFirst();
            default -> new IdentityChain(resolvers);
        };
    }

    @Override
    public IdentityResult resolve(RequestInfo request) {
        IdentityResult result = null;
        for (IdentityResolver resolver : resolvers) {
            result = resolver.resolve(request);
            if (!(result instanceof IdentityResult.Rejected rejected) || rejected.status() != 401) {
                return result;
            }
        }
        return result;
    }

    /** A chain never blocks when none of its resolvers does. */
    @Override
    public boolean neverBlocks() {
        return resolvers.stream().allMatch(IdentityResolver::neverBlocks);
    }

    /** The first resolver's, if it gives every request the same identity: the chain then never asks the others. */
    @Override
    public Optional<Identity> fixedIdentity() {
        return resolvers.getFirst().fixedIdentity();
    }

    /** The first resolver's that publishes one. */
    @Override
    public Optional<ProtectedResource> protectedResource() {
        return resolvers.stream().map(IdentityResolver::protectedResource).flatMap(Optional::stream).findFirst();
    }
}
