package io.mcpgw.plugins.creds.vault;

import io.mcpgw.spi.ExtensionContext;
import io.mcpgw.spi.credentials.CredentialsProvider;
import io.mcpgw.spi.credentials.CredentialsProviderFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * {@code credentials: [{type: vault}]}: a backend's secrets from HashiCorp Vault's KV engine (v2 or v1), read at a
 * path made from the caller's tenant and client and the backend, and handed to the backend as environment
 * variables or headers. Vault is reached with a token, AppRole or a Kubernetes service account; a login token is
 * renewed before it expires and the login repeated when Vault refuses it.
 */
@Extension
public final class VaultCredentialsFactory implements CredentialsProviderFactory {

    /**
     * The keys of the section.
     *
     * @param address Vault's address, e.g. {@code https://vault.example:8200}
     * @param namespace sent as {@code X-Vault-Namespace} (Vault Enterprise and HCP)
     * @param caCertificate a PEM file of the certificates to trust for Vault's TLS; default the JDK's
     * @param timeout how long one request to Vault may take; default 5s
     * @param auth how to log in
     * @param kv the KV secrets engine
     * @param defaultTtl how long a secret without a lease may be cached; default 5m
     * @param secrets which secret serves which backend
     */
    record Settings(String address, String namespace, String caCertificate, Duration timeout, Auth auth, Kv kv, Duration defaultTtl,
            List<Secret> secrets) {
        Settings {
            if (address == null || !(address.startsWith("http://") || address.startsWith("https://"))) {
                throw new IllegalArgumentException("address: Vault's http:// or https:// address is required");
            }
            timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
            if (auth == null) {
                throw new IllegalArgumentException("auth: required, e.g. auth: { method: token, token: \"${VAULT_TOKEN}\" }");
            }
            kv = kv == null ? new Kv(null, null) : kv;
            defaultTtl = defaultTtl == null ? Duration.ofMinutes(5) : defaultTtl;
            if (secrets == null || secrets.isEmpty()) {
                throw new IllegalArgumentException("secrets: at least one { backend, path, environment | headers } is required");
            }
            secrets = List.copyOf(secrets);
        }
    }

    /**
     * How to log in to Vault.
     *
     * @param method {@code token}, {@code approle} or {@code kubernetes}
     * @param token the token, with {@code token}
     * @param roleId the AppRole's role id, with {@code approle}
     * @param secretId the AppRole's secret id, with {@code approle}
     * @param role the Vault role bound to the service account, with {@code kubernetes}
     * @param jwtFile the service account token; default the one Kubernetes mounts
     * @param mount where the auth method is mounted; default its method's name
     */
    record Auth(String method, String token, String roleId, String secretId, String role, String jwtFile, String mount) {
        Auth {
            if (method == null) {
                throw new IllegalArgumentException("method: token, approle or kubernetes");
            }
            switch (method) {
                case "token" -> require(token, "token", "the Vault token, e.g. \"${VAULT_TOKEN}\"");
                case "approle" -> {
                    require(roleId, "roleId", "the AppRole's role id");
                    require(secretId, "secretId", "the AppRole's secret id");
                }
                case "kubernetes" -> {
                    require(role, "role", "the Vault role bound to the service account");
                    jwtFile = jwtFile == null ? "/var/run/secrets/kubernetes.io/serviceaccount/token" : jwtFile;
                }
                default -> throw new IllegalArgumentException("method: '" + method + "' is not token, approle or kubernetes");
            }
            mount = mount == null ? method : mount;
        }

        private static void require(String value, String key, String what) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(key + ": required with this method (" + what + ")");
            }
        }
    }

    /**
     * The KV secrets engine.
     *
     * @param mount where it is mounted; default {@code secret}
     * @param version 2 (default) or 1
     */
    record Kv(String mount, Integer version) {
        Kv {
            mount = mount == null ? "secret" : mount;
            version = version == null ? 2 : version;
            if (version != 1 && version != 2) {
                throw new IllegalArgumentException("version: 1 or 2");
            }
        }
    }

    /**
     * One secret and what it gives a backend.
     *
     * @param backend the backend id it serves, or {@code *} for every backend
     * @param path the secret's path in the engine, with {@code {tenant}}, {@code {client}} and {@code {backend}}
     * @param environment variables for a stdio backend, each a template of the secret's fields, e.g. {@code "{token}"}
     * @param headers headers for an HTTP backend, e.g. {@code Authorization: "Bearer {token}"}
     */
    record Secret(String backend, String path, Map<String, String> environment, Map<String, String> headers) {
        Secret {
            if (backend == null || path == null) {
                throw new IllegalArgumentException("backend and path are required");
            }
            environment = environment == null ? Map.of() : Map.copyOf(environment);
            headers = headers == null ? Map.of() : Map.copyOf(headers);
            if (environment.isEmpty() && headers.isEmpty()) {
                throw new IllegalArgumentException("environment or headers: say what the secret's fields become");
            }
        }
    }

    @Override
    public String name() {
        return "vault";
    }

    @Override
    public CredentialsProvider create(ExtensionContext context) {
        Settings settings = context.config().bind(Settings.class);
        if (context.validateOnly()) {
            if (settings.caCertificate() != null && !Files.isReadable(Path.of(settings.caCertificate()))) {
                throw new IllegalArgumentException("caCertificate: cannot read " + settings.caCertificate());
            }
            return request -> {
                throw new IllegalStateException("a Vault provider created by mcpgw validate answers nothing");
            };
        }
        VaultHttp http = new VaultHttp(URI.create(settings.address()), settings.namespace(),
                settings.caCertificate() == null ? null : Path.of(settings.caCertificate()), settings.timeout());
        VaultLogin login = new VaultLogin(http, settings.auth(), context.clock(), context.logger());
        return new VaultCredentials(http, login, settings.kv(), settings.secrets(), settings.defaultTtl());
    }
}
