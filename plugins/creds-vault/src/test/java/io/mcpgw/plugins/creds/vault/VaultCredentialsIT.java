package io.mcpgw.plugins.creds.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.config.ExtensionSection;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.server.plugin.ExtensionKind;
import io.mcpgw.server.plugin.HostExtensionContext;
import io.mcpgw.server.plugin.RegisteredFactory;
import io.mcpgw.spi.credentials.CredentialRequest;
import io.mcpgw.spi.credentials.Credentials;
import io.mcpgw.spi.credentials.CredentialsProvider;
import io.mcpgw.testkit.JavaCommand;
import io.mcpgw.testkit.RawMcp;
import io.mcpgw.testkit.TestingClock;
import io.mcpgw.testkit.TestingGateway;
import io.mcpgw.testkit.TestingMcpBackend;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider against a server speaking Vault's HTTP API, and the built plugin zip in a real gateway. */
class VaultCredentialsIT {

    private static final CredentialRequest ACME_GITHUB = new CredentialRequest("acme", "ci-bot", "github");

    @TempDir
    Path home;

    private final TestingClock clock = new TestingClock(Instant.parse("2026-01-01T00:00:00Z"));

    private CredentialsProvider provider(TestingVaultServer vault, ObjectNode auth, ObjectNode more) {
        ObjectNode settings = JsonRpc.MAPPER.createObjectNode().put("address", vault.uri().toString());
        settings.set("auth", auth);
        settings.putArray("secrets").addObject().put("backend", "github").put("path", "mcpgw/{tenant}/{backend}")
                .<ObjectNode>set("environment", JsonRpc.MAPPER.createObjectNode().put("GITHUB_TOKEN", "{token}"))
                .set("headers", JsonRpc.MAPPER.createObjectNode().put("Authorization", "Bearer {token}").put("X-User", "{user}"));
        settings.setAll(more);
        VaultCredentialsFactory factory = new VaultCredentialsFactory();
        ExtensionSection section = new ExtensionSection("test", "credentials[0]", factory.name(), settings);
        return factory.create(new HostExtensionContext(section, new RegisteredFactory(ExtensionKind.CREDENTIALS, factory, "test"), clock,
                home, "test"));
    }

    private static ObjectNode token(String token) {
        return JsonRpc.MAPPER.createObjectNode().put("method", "token").put("token", token);
    }

    private static ObjectNode none() {
        return JsonRpc.MAPPER.createObjectNode();
    }

    @Test
    void kvV2SecretsBecomeEnvironmentAndHeadersUnderANamespace() throws Exception {
        try (TestingVaultServer vault = new TestingVaultServer(null, "team-a").token("root-token").engine("secret", 2)
                .secret("secret", "mcpgw/acme/github", Map.of("token", "ghp_acme", "user", "acme-bot"))) {
            CredentialsProvider provider = provider(vault, token("root-token"), JsonRpc.MAPPER.createObjectNode().put("namespace", "team-a"));

            Credentials found = provider.resolve(ACME_GITHUB).orElseThrow();
            assertThat(found.environment()).containsExactly(Map.entry("GITHUB_TOKEN", "ghp_acme"));
            assertThat(found.headers()).containsOnly(Map.entry("Authorization", "Bearer ghp_acme"), Map.entry("X-User", "acme-bot"));
            assertThat(found.ttl()).contains(Duration.ofMinutes(5));
            assertThat(found.toString()).doesNotContain("ghp_acme");

            assertThat(provider.resolve(new CredentialRequest("globex", "ops", "github"))).as("404: no secret here").isEmpty();
            assertThat(provider.resolve(new CredentialRequest("acme", "ci-bot", "search"))).as("no secret for that backend").isEmpty();
            assertThat(vault.requests()).contains("GET /v1/secret/data/mcpgw/acme/github", "GET /v1/secret/data/mcpgw/globex/github");

            CredentialsProvider elsewhere = provider(vault, token("root-token"), JsonRpc.MAPPER.createObjectNode().put("namespace", "team-b"));
            assertThatThrownBy(() -> elsewhere.resolve(ACME_GITHUB)).hasMessageContaining("permission denied");
        }
    }

    @Test
    void kvV1LeasesSetTheTtlAndAMissingFieldIsNamed() throws Exception {
        try (TestingVaultServer vault = new TestingVaultServer(null, null).token("root-token").engine("kv", 1)
                .secret("kv", "mcpgw/acme/github", Map.of("token", "v1-token", "user", "u", "lease", 120))
                .secret("kv", "mcpgw/globex/github", Map.of("user", "u"))) {
            CredentialsProvider provider = provider(vault, token("root-token"), (ObjectNode) JsonRpc.MAPPER.readTree("""
                    {"kv": {"mount": "kv", "version": 1}}"""));
            Credentials found = provider.resolve(ACME_GITHUB).orElseThrow();
            assertThat(found.environment()).containsEntry("GITHUB_TOKEN", "v1-token");
            assertThat(found.ttl()).contains(Duration.ofSeconds(120));
            assertThatThrownBy(() -> provider.resolve(new CredentialRequest("globex", "ops", "github")))
                    .hasMessage("the secret at mcpgw/globex/github has no field 'token' (for GITHUB_TOKEN)");
        }
    }

    @Test
    void appRoleLogsInRenewsBeforeExpiryAndLogsInAgainWhenRefused() throws Exception {
        try (TestingVaultServer vault = new TestingVaultServer(null, null).approle("role-1", "secret-1").engine("secret", 2)
                .secret("secret", "mcpgw/acme/github", Map.of("token", "t", "user", "u"))) {
            vault.loginTtl(30);
            CredentialsProvider provider = provider(vault, JsonRpc.MAPPER.createObjectNode().put("method", "approle")
                    .put("roleId", "role-1").put("secretId", "secret-1"), none());
            assertThat(provider.resolve(ACME_GITHUB)).isPresent();
            assertThat(vault.requests()).containsExactly("POST /v1/auth/approle/login", "GET /v1/secret/data/mcpgw/acme/github");

            clock.move(Duration.ofSeconds(10));
            provider.resolve(ACME_GITHUB);
            assertThat(vault.requests()).as("a third of the lease gone: no renewal yet").doesNotContain("POST /v1/auth/token/renew-self");
            clock.move(Duration.ofSeconds(11));
            provider.resolve(ACME_GITHUB);
            assertThat(vault.requests()).as("two thirds gone: renewed").contains("POST /v1/auth/token/renew-self");

            vault.revokeAll();
            assertThat(provider.resolve(ACME_GITHUB)).as("a refused token: a new login, then the read again").isPresent();
            assertThat(vault.requests().stream().filter(request -> request.equals("POST /v1/auth/approle/login"))).hasSize(2);
        }
        try (TestingVaultServer vault = new TestingVaultServer(null, null).approle("role-1", "secret-1").engine("secret", 2)) {
            CredentialsProvider wrong = provider(vault, JsonRpc.MAPPER.createObjectNode().put("method", "approle")
                    .put("roleId", "role-1").put("secretId", "guessed"), none());
            assertThatThrownBy(() -> wrong.resolve(ACME_GITHUB)).hasMessageContaining("HTTP 400").hasMessageContaining("invalid role or secret ID");
        }
    }

    @Test
    void aKubernetesServiceAccountLogsIn() throws Exception {
        Path jwt = home.resolve("token");
        Files.writeString(jwt, "eyJhbGciOiJSUzI1NiJ9.service-account.signature\n");
        try (TestingVaultServer vault = new TestingVaultServer(null, null).kubernetes("mcpgw", "eyJhbGciOiJSUzI1NiJ9.service-account.signature")
                .engine("secret", 2).secret("secret", "mcpgw/acme/github", Map.of("token", "k8s", "user", "u"))) {
            CredentialsProvider provider = provider(vault, JsonRpc.MAPPER.createObjectNode().put("method", "kubernetes").put("role", "mcpgw")
                    .put("jwtFile", jwt.toString()), none());
            assertThat(provider.resolve(ACME_GITHUB).orElseThrow().environment()).containsEntry("GITHUB_TOKEN", "k8s");
            assertThat(vault.requests()).first().isEqualTo("POST /v1/auth/kubernetes/login");
        }
    }

    @Test
    void aSealedVaultARevokedTokenAndNoVaultAtAllAreFailuresNotEmptyAnswers() throws Exception {
        TestingVaultServer vault = new TestingVaultServer(null, null).token("root-token").engine("secret", 2)
                .secret("secret", "mcpgw/acme/github", Map.of("token", "t", "user", "u"));
        CredentialsProvider provider = provider(vault, token("root-token"), none());
        vault.seal(true);
        assertThatThrownBy(() -> provider.resolve(ACME_GITHUB)).hasMessageContaining("HTTP 503").hasMessageContaining("Vault is sealed");
        vault.seal(false);
        vault.revoke("root-token");
        assertThatThrownBy(() -> provider.resolve(ACME_GITHUB)).isInstanceOf(VaultHttp.PermissionDenied.class);
        vault.close();
        assertThatThrownBy(() -> provider.resolve(ACME_GITHUB)).hasMessageContaining("cannot be reached");
    }

    @Test
    void tlsIsTrustedThroughTheConfiguredCa() throws Exception {
        Path keystore = home.resolve("vault.p12");
        Path ca = home.resolve("ca.pem");
        keytool("-genkeypair", "-alias", "vault", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "san=dns:localhost,ip:127.0.0.1", "-validity", "2", "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit");
        keytool("-exportcert", "-rfc", "-alias", "vault", "-keystore", keystore.toString(), "-storepass", "changeit", "-file", ca.toString());
        try (TestingVaultServer vault = new TestingVaultServer(serverTls(keystore), null).token("root-token").engine("secret", 2)
                .secret("secret", "mcpgw/acme/github", Map.of("token", "over-tls", "user", "u"))) {
            assertThat(vault.uri().getScheme()).isEqualTo("https");
            CredentialsProvider trusting = provider(vault, token("root-token"), JsonRpc.MAPPER.createObjectNode().put("caCertificate", ca.toString()));
            assertThat(trusting.resolve(ACME_GITHUB).orElseThrow().environment()).containsEntry("GITHUB_TOKEN", "over-tls");
            CredentialsProvider untrusting = provider(vault, token("root-token"), none());
            assertThatThrownBy(() -> untrusting.resolve(ACME_GITHUB)).hasMessageContaining("cannot be reached");
        }
    }

    @Test
    void inAGatewayCachedSecretsOutlastAnOutageUntilTheyExpireThenRequiredCallsFail() throws Exception {
        try (TestingVaultServer vault = new TestingVaultServer(null, null).token("root-token").engine("secret", 2)
                .secret("secret", "mcpgw/default/github", Map.of("token", "from-vault", "user", "u", "ttl", 2))) {
            TestingGateway.installBuiltPlugin(home);
            try (TestingGateway gateway = TestingGateway.start(home, """
                    credentials:
                      - type: vault
                        address: %s
                        auth: { method: token, token: root-token }
                        secrets:
                          - backend: github
                            path: "mcpgw/{tenant}/{backend}"
                            environment: { GITHUB_TOKEN: "{token}" }
                    backends:
                      - id: github
                        transport: stdio
                        command: %s
                        credentials: required
                    """.formatted(vault.uri(), JavaCommand.yaml(TestingMcpBackend.class))).awaitReady(Duration.ofSeconds(60))) {
                RawMcp client = new RawMcp(gateway, null, "/mcp").initialized();
                JsonNode seen = client.call("github__env", "{\"name\":\"GITHUB_TOKEN\"}");
                assertThat(seen.path("result").path("content").path(0).path("text").asText()).isEqualTo("from-vault");

                vault.seal(true);
                assertThat(client.call("github__env", "{\"name\":\"GITHUB_TOKEN\"}").has("result")).as("the cached secret still serves").isTrue();
                TimeUnit.MILLISECONDS.sleep(2500);
                JsonNode refused = client.call("github__env", "{\"name\":\"GITHUB_TOKEN\"}");
                assertThat(refused.path("error").path("code").asInt()).as("expired, and Vault is sealed").isEqualTo(-32014);
                assertThat(refused.toString()).doesNotContain("from-vault");

                vault.seal(false);
                assertThat(client.call("github__env", "{\"name\":\"GITHUB_TOKEN\"}").has("result")).isTrue();
            }
        }
    }

    private static SSLContext serverTls(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private static void keytool(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(output).isZero();
    }
}
