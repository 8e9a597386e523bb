package io.mcpgw.server.credentials;

import io.mcpgw.spi.ExtensionContext;
import io.mcpgw.spi.credentials.CredentialRequest;
import io.mcpgw.spi.credentials.CredentialsProvider;
import io.mcpgw.spi.credentials.CredentialsProviderFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code credentials: [{type: env, entries: [...]}]}: values read from the gateway's environment when a call needs
 * them, per tenant if wanted. In {@code "Bearer {env:GITHUB_TOKEN_{tenant}}"} the tenant {@code acme-corp} reads
 * {@code GITHUB_TOKEN_acme-corp} if it is set (the tenant, client or backend exactly as written), else
 * {@code GITHUB_TOKEN_ACME_CORP} (upper case, every character but {@code A-Z} and {@code 0-9} made {@code _}). An
 * entry whose variables are not all set does not apply. The gateway's environment never reaches a child otherwise:
 * this is how a secret of its is handed to one backend on purpose.
 */
public final class EnvCredentialsFactory implements CredentialsProviderFactory {

    private static final Pattern REFERENCE = Pattern.compile("\\{env:([^{}]*(?:\\{[a-z]+}[^{}]*)*)}");

    @Override
    public String name() {
        return "env";
    }

    @Override
    public CredentialsProvider create(ExtensionContext context) {
        Map<String, String> environment = System.getenv();
        return new CredentialEntries(context.config().bind(CredentialEntries.Settings.class), new CredentialEntries.Values() {
            @Override
            public Optional<String> expand(String value, CredentialRequest request) {
                return EnvCredentialsFactory.expand(value, request, environment);
            }

            @Override
            public List<String> missing(String value, String backend, String tenant) {
                return EnvCredentialsFactory.missing(value, backend, tenant, environment);
            }
        });
    }

    static Optional<String> expand(String value, CredentialRequest request, Map<String, String> environment) {
        Matcher reference = REFERENCE.matcher(value);
        StringBuilder expanded = new StringBuilder();
        while (reference.find()) {
            Optional<String> secret = names(reference.group(1), request).stream().map(environment::get)
                    .filter(found -> found != null).findFirst();
            if (secret.isEmpty()) {
                return Optional.empty();
            }
            reference.appendReplacement(expanded, Matcher.quoteReplacement(secret.get()));
        }
        reference.appendTail(expanded);
        return Optional.of(expanded.toString());
    }

    /**
     * The variables {@code value} reads for any client of {@code tenant} that are not set, each as its names
     * ({@code A or B}); a reference that depends on the client cannot be told apart and is left out.
     */
    static List<String> missing(String value, String backend, String tenant, Map<String, String> environment) {
        Matcher reference = REFERENCE.matcher(value);
        List<String> missing = new ArrayList<>();
        while (reference.find()) {
            if (reference.group(1).contains("{client}")) {
                continue;
            }
            List<String> names = names(reference.group(1), new CredentialRequest(tenant, "", backend));
            if (names.stream().noneMatch(environment::containsKey)) {
                missing.add(String.join(" or ", names));
            }
        }
        return missing;
    }

    /** The variable names a reference reads for a request, in the order they are tried: as written, then normalized. */
    private static List<String> names(String template, CredentialRequest request) {
        String exact = template.replace("{tenant}", request.tenant()).replace("{client}", request.client())
                .replace("{backend}", request.backend());
        String normalized = template.replace("{tenant}", variablePart(request.tenant()))
                .replace("{client}", variablePart(request.client())).replace("{backend}", variablePart(request.backend()));
        return exact.equals(normalized) ? List.of(exact) : List.of(exact, normalized);
    }

    private static String variablePart(String text) {
        return text.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
