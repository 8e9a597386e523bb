package io.mcpgw.server.identity;

import io.mcpgw.spi.ExtensionContext;
import io.mcpgw.spi.identity.Identity;
import io.mcpgw.spi.identity.IdentityResolver;
import io.mcpgw.spi.identity.IdentityResolverFactory;
import io.mcpgw.spi.identity.IdentityResult;
import io.mcpgw.spi.identity.RequestInfo;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code identity: {type: none}}, also what runs when there is no {@code identity:} section: every caller is the
 * same one (tenant {@code default}, client {@code anonymous} unless configured), for local development.
 */
public final class NoneIdentityFactory implements IdentityResolverFactory {

    /** The keys of the section. */
    record Settings(String tenant, String client) {
        Settings {
            tenant = tenant == null ? DEFAULT_TENANT : tenant;
            client = client == null ? "anonymous" : client;
        }
    }

    public static final String DEFAULT_TENANT = "default";

    @Override
    public String name() {
        return "none";
    }

    @Override
    public IdentityResolver create(ExtensionContext context) {
        return resolver(context.config().bind(Settings.class));
    }

    /** The resolver for a gateway configured without an {@code identity:} section. */
    public static IdentityResolver unconfigured() {
        return resolver(new Settings(null, null));
    }

    private static IdentityResolver resolver(Settings settings) {
        return new Everyone(new Identity(settings.tenant(), settings.client(), Set.of(), Map.of()));
    }

    /** Every caller is the same one; the gateway need not even look at the request. */
    private record Everyone(Identity identity) implements IdentityResolver {
        @Override
        public IdentityResult resolve(RequestInfo request) {
            return new IdentityResult.Authenticated(identity);
        }

        @Override
        public Optional<Identity> fixedIdentity() {
            return Optional.of(identity);
        }

        @Override
        public boolean neverBlocks() {
            return true;
        }
    }
}
