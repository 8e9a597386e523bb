package io.mcpgw.server.credentials;

import io.mcpgw.spi.ExtensionContext;
import io.mcpgw.spi.credentials.CredentialsProvider;
import io.mcpgw.spi.credentials.CredentialsProviderFactory;
import java.util.Optional;

/**
 * {@code credentials: [{type: static, entries: [...]}]}: values as written in the configuration (where
 * {@code ${ENV}} has been substituted at load time).
 */
public final class StaticCredentialsFactory implements CredentialsProviderFactory {

    @Override
    public String name() {
        return "static";
    }

    @Override
    public CredentialsProvider create(ExtensionContext context) {
        return new CredentialEntries(context.config().bind(CredentialEntries.Settings.class), (value, request) -> Optional.of(value));
    }
}
