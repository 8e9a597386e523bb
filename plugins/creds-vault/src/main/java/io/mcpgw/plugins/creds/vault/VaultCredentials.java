package io.mcpgw.plugins.creds.vault;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.spi.credentials.CredentialRequest;
import io.mcpgw.spi.credentials.Credentials;
import io.mcpgw.spi.credentials.CredentialsProvider;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the secret a request's backend is configured with and maps its fields. A secret that is not there is "no
 * credentials here" (the broker asks the next provider); Vault that cannot answer throws, so the broker keeps its
 * cached answer until that expires. The TTL is the secret's lease, else its {@code ttl} field (seconds), else the
 * default.
 */
final class VaultCredentials implements CredentialsProvider {

    private static final Pattern FIELD = Pattern.compile("\\{([^{}]+)}");

    private final VaultHttp http;
    private final VaultLogin login;
    private final VaultCredentialsFactory.Kv kv;
    private final List<VaultCredentialsFactory.Secret> secrets;
    private final Duration defaultTtl;

    VaultCredentials(VaultHttp http, VaultLogin login, VaultCredentialsFactory.Kv kv, List<VaultCredentialsFactory.Secret> secrets,
            Duration defaultTtl) {
        this.http = http;
        this.login = login;
        this.kv = kv;
        this.secrets = secrets;
        this.defaultTtl = defaultTtl;
    }

    @Override
    public Optional<Credentials> resolve(CredentialRequest request) {
        Optional<VaultCredentialsFactory.Secret> secret = secrets.stream()
                .filter(candidate -> candidate.backend().equals(request.backend()) || candidate.backend().equals("*")).findFirst();
        if (secret.isEmpty()) {
            return Optional.empty();
        }
        String path = expand(secret.get().path(), request);
        String api = kv.version() == 2 ? kv.mount() + "/data/" + path : kv.mount() + "/" + path;
        Optional<JsonNode> answer = login.withToken(token -> http.get(api, token));
        if (answer.isEmpty()) {
            return Optional.empty();
        }
        JsonNode fields = kv.version() == 2 ? answer.get().path("data").path("data") : answer.get().path("data");
        Map<String, String> environment = map(secret.get().environment(), fields, path);
        Map<String, String> headers = map(secret.get().headers(), fields, path);
        return Optional.of(new Credentials(environment, headers, Optional.of(ttl(answer.get(), fields))));
    }

    private Duration ttl(JsonNode answer, JsonNode fields) {
        long lease = answer.path("lease_duration").asLong(0);
        if (lease > 0) {
            return Duration.ofSeconds(lease);
        }
        long declared = fields.path("ttl").asLong(0);
        return declared > 0 ? Duration.ofSeconds(declared) : defaultTtl;
    }

    /** Each value with {@code {field}} replaced by that field of the secret; a missing field is a configuration error. */
    private static Map<String, String> map(Map<String, String> templates, JsonNode fields, String path) {
        Map<String, String> values = new LinkedHashMap<>();
        templates.forEach((name, template) -> {
            Matcher matcher = FIELD.matcher(template);
            StringBuilder value = new StringBuilder();
            while (matcher.find()) {
                JsonNode field = fields.get(matcher.group(1));
                if (field == null || field.isNull() || field.isContainerNode()) {
                    throw new IllegalStateException("the secret at " + path + " has no field '" + matcher.group(1) + "' (for " + name + ")");
                }
                matcher.appendReplacement(value, Matcher.quoteReplacement(field.asText()));
            }
            matcher.appendTail(value);
            values.put(name, value.toString());
        });
        return values;
    }

    /** The path with the request's names, each encoded so that none can climb out of its segment. */
    private static String expand(String template, CredentialRequest request) {
        return template.replace("{tenant}", segment(request.tenant())).replace("{client}", segment(request.client()))
                .replace("{backend}", segment(request.backend()));
    }

    private static String segment(String value) {
        String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
        return encoded.equals(".") || encoded.equals("..") ? encoded.replace(".", "%2E") : encoded;
    }
}
