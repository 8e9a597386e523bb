package io.mcpgw.spi.discovery;

import io.mcpgw.spi.ExtensionFactory;

/** Creates the {@link DiscoveryProvider} that {@code cluster.discovery} names. */
public interface DiscoveryProviderFactory extends ExtensionFactory<DiscoveryProvider> {}
