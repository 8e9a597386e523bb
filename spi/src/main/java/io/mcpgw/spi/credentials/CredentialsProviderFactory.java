package io.mcpgw.spi.credentials;

import io.mcpgw.spi.ExtensionFactory;

/** Creates a {@link CredentialsProvider} for one entry of the {@code credentials:} list. */
public interface CredentialsProviderFactory extends ExtensionFactory<CredentialsProvider> {}
