package io.mcpgw.spi.identity;

import io.mcpgw.spi.ExtensionFactory;

/** Creates the {@link IdentityResolver} the {@code identity:} section names. */
public interface IdentityResolverFactory extends ExtensionFactory<IdentityResolver> {}
