package io.mcpgw.server.credentials;

import static io.mcpgw.testkit.TestingPluginJar.plugin;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.testkit.TestingBackendConfig;
import io.mcpgw.testkit.TestingConfig;
import io.mcpgw.testkit.TestingGateway;
import io.mcpgw.testkit.TestingHttpMcpBackend;
import io.mcpgw.testkit.TestingMcpBackend;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The credential broker with real providers (the built-in {@code static}, and a plugin whose store can go down),
 * injected into real backends: a stdio child's environment and an HTTP backend's headers.
 */
class CredentialsIT {

    @TempDir
    static Path home;

    private static TestingGateway gateway;
    private static TestingHttpMcpBackend remote;
    private static Path store;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void startGateway() throws Exception {
        store = home.resolve("store/secret");
        Files.createDirectories(store.getParent());
        Files.writeString(store, "from-the-store");
        plugin("file-store").requires(">=0.1.0").extension("com.example.store.FileStoreFactory", """
                package com.example.store;

                import io.mcpgw.spi.ExtensionContext;
                import io.mcpgw.spi.credentials.Credentials;
                import io.mcpgw.spi.credentials.CredentialsProvider;
                import io.mcpgw.spi.credentials.CredentialsProviderFactory;
                import java.nio.file.Files;
                import java.nio.file.Path;
                import java.time.Duration;
                import java.util.Map;
                import java.util.Optional;

                @org.pf4j.Extension
                public class FileStoreFactory implements CredentialsProviderFactory {
                    public record Settings(String path, String backend, Duration ttl) {}

                    @Override
                    public String name() {
                        return "file-store";
                    }

                    @Override
                    public CredentialsProvider create(ExtensionContext context) {
                        Settings settings = context.config().bind(Settings.class);
                        return request -> {
                            if (!request.backend().equals(settings.backend())) {
                                return Optional.empty();
                            }
                            try {
                                return Optional.of(new Credentials(Map.of("SECRET", Files.readString(Path.of(settings.path()))), Map.of(),
                                        Optional.of(settings.ttl())));
                            } catch (java.io.IOException e) {
                                throw new IllegalStateException("the store is down");
                            }
                        };
                    }
                }
                """).writeJar(Files.createDirectories(home.resolve("plugins")));
        remote = new TestingHttpMcpBackend();
        gateway = TestingConfig.gateway()
                .apiKey("acme", "acme", "app").apiKey("globex", "globex", "app")
                .tenant("acme").tenant("globex")
                .yaml("""
                        credentials:
                          - type: static
                            entries:
                              - { backend: child, tenant: acme, environment: { SECRET: acme-secret } }
                              - { backend: child, tenant: globex, environment: { SECRET: globex-secret } }
                              - { backend: remote, tenant: acme, headers: { Authorization: "Bearer acme-backend-token" } }
                              - { backend: locked, tenant: acme, environment: { SECRET: only-acme } }
                          - type: file-store
                            path: %s
                            backend: stored
                            ttl: 6s
                        """.formatted(store))
                .backend(TestingBackendConfig.stdio("child", TestingMcpBackend.class).with("maxProcesses: 2"))
                .backend(TestingBackendConfig.stdio("locked", TestingMcpBackend.class).with("credentials: required"))
                .backend(TestingBackendConfig.stdio("stored", TestingMcpBackend.class).with("credentials: required"))
                .backend(TestingBackendConfig.http("remote", remote.uri()))
                .startReady(home);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        remote.close();
    }

    private static String session(String key) throws Exception {
        return HTTP.send(request(key, null, """
                {"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},
                 "clientInfo":{"name":"raw","version":"1"}}}"""), HttpResponse.BodyHandlers.ofString())
                .headers().firstValue("Mcp-Session-Id").orElseThrow();
    }

    private static HttpRequest request(String key, String session, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(gateway.baseUri().resolve("/mcp")).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            builder.header("Mcp-Session-Id", session);
        }
        return builder.build();
    }

    private static JsonNode call(String key, String session, String tool, String arguments) throws Exception {
        return JsonRpc.MAPPER.readTree(HTTP.send(request(key, session, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\""
                + tool + "\",\"arguments\":" + arguments + "}}"), HttpResponse.BodyHandlers.ofString()).body());
    }

    private static String text(JsonNode response) {
        return response.path("result").path("content").get(0).path("text").asText();
    }

    @Test
    void eachTenantGetsItsOwnChildWithItsOwnSecrets() throws Exception {
        String acme = session("acme");
        String globex = session("globex");
        assertThat(text(call("acme", acme, "child__env", "{\"name\":\"SECRET\"}"))).isEqualTo("acme-secret");
        assertThat(text(call("globex", globex, "child__env", "{\"name\":\"SECRET\"}"))).isEqualTo("globex-secret");
        assertThat(text(call("acme", acme, "child__pid", "{}"))).isNotEqualTo(text(call("globex", globex, "child__pid", "{}")));
        assertThat(text(call("acme", acme, "child__env", "{\"name\":\"SECRET\"}"))).as("and keeps it").isEqualTo("acme-secret");
    }

    @Test
    void anHttpBackendGetsTheBrokersHeaderAndNeverTheClientsToken() throws Exception {
        assertThat(text(call("acme", session("acme"), "remote__whoami", "{}"))).isEqualTo("Bearer acme-backend-token");
        assertThat(text(call("globex", session("globex"), "remote__whoami", "{}"))).as("no credentials, and not the client's key").isEqualTo("none");
    }

    @Test
    void aRequiredBackendRefusesCallsWithoutCredentials() throws Exception {
        assertThat(text(call("acme", session("acme"), "locked__env", "{\"name\":\"SECRET\"}"))).isEqualTo("only-acme");
        JsonNode refused = call("globex", session("globex"), "locked__env", "{\"name\":\"SECRET\"}").path("error");
        assertThat(refused.path("code").asInt()).isEqualTo(-32014);
        assertThat(refused.path("message").asText()).isEqualTo("backend 'locked' requires credentials and no provider has any for tenant 'globex'");
    }

    @Test
    void aStoreThatGoesDownIsCoveredByTheCacheUntilTheCredentialsExpire() throws Exception {
        String acme = session("acme");
        // the tenant's child starts for this first call: it may take seconds on a loaded machine, within the ttl
        assertThat(text(call("acme", acme, "stored__env", "{\"name\":\"SECRET\"}"))).isEqualTo("from-the-store");
        Files.delete(store);
        assertThat(text(call("acme", acme, "stored__env", "{\"name\":\"SECRET\"}"))).as("served from the cache").isEqualTo("from-the-store");
        Thread.sleep(6200);
        JsonNode refused = call("acme", acme, "stored__env", "{\"name\":\"SECRET\"}").path("error");
        assertThat(refused.path("code").asInt()).isEqualTo(-32014);
        assertThat(refused.path("message").asText()).contains("cannot be fetched now").contains("the store is down");
        Files.writeString(store, "from-the-store");
    }
}
