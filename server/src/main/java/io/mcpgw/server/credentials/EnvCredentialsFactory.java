package io.mcpgw.server.credentials;

import io.mcpgw.spi.ExtensionContext;
import io.mcpgw.spi.credentials.CredentialRequest;
import io.mcpgw.spi.credentials.CredentialsProvider;
import io.mcpgw.spi.credentials.CredentialsProviderFactory;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code credentials: [{type: env, entries: [...]}]}: values read from the gateway's environment when a call needs
 * them, per tenant if wanted: in {@code "Bearer {env:GITHUB_TOKEN_{tenant}}"} the tenant {@code acme} reads
 * {@code GITHUB_TOKEN_ACME}. An entry whose variables are not all set does not apply. The gateway's environment
 * never reaches a child otherwise: this is how a secret of its is handed to one backend on purpose.
 */
public final class EnvCredentialsFactory implements CredentialsProviderFactory {

    private static final Pattern REFERENCE = Pattern.compile("\\{env:([^{}]*(?:\\{[a-z]+}[^{}]*)*)}");

    @Override
    public String name() {
        return "env";
    }

    @Override
    public CredentialsProvider create(ExtensionContext context) {
        return new CredentialEntries(context.config().bind(CredentialEntries.Settings.class), (value, request) -> expand(value, request, System.getenv()));
    }

    static Optional<String> expand(String value, CredentialRequest request, Map<String, String> environment) {
        Matcher reference = REFERENCE.matcher(value);
        StringBuilder expanded = new StringBuilder();
        while (reference.find()) {
            String name = reference.group(1).replace("{tenant}", variablePart(request.tenant()))
                    .replace("{client}", variablePart(request.client())).replace("{backend}", variablePart(request.backend()));
            String secret = environment.get(name);
            if (secret == null) {
                return Optional.empty();
            }
            reference.appendReplacement(expanded, Matcher.quoteReplacement(secret));
        }
        reference.appendTail(expanded);
        return Optional.of(expanded.toString());
    }

    private static String variablePart(String text) {
        return text.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
