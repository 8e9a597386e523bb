package io.mcpgw.server.tls;

import static io.mcpgw.server.ingress.McpClientITSupport.INITIALIZE;
import static io.mcpgw.server.ingress.McpClientITSupport.call;
import static io.mcpgw.server.ingress.McpClientITSupport.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.testkit.AdminClient;
import io.mcpgw.testkit.TestingCertificateAuthority;
import io.mcpgw.testkit.TestingConfig;
import io.mcpgw.testkit.TestingGateway;
import io.modelcontextprotocol.client.McpSyncClient;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS on the MCP listener ({@code server.tls.clientCa}) and the {@code mtls} identity before {@code api-key}:
 * a client certificate from the client CA tells tenant ({@code subject.O}) and client ({@code san.uri}); one without
 * an organisation leaves the caller to the API key; no certificate, or one from another CA, gets no connection.
 */
class MtlsIdentityIT {

    private static final String ADMIN_TOKEN = "mtls-admin-token-0123456789";
    private static final String GLOBEX_KEY = "globex-secret-key";

    @TempDir
    static Path home;

    private static TestingCertificateAuthority serverCa;
    private static TestingCertificateAuthority clientCa;
    private static TestingGateway gateway;

    @BeforeAll
    static void startGateway() throws InterruptedException {
        Path tls = home.resolve("conf/tls");
        serverCa = TestingCertificateAuthority.create(tls, "servers");
        clientCa = TestingCertificateAuthority.create(tls, "clients");
        serverCa.issueServer("server", "localhost", "127.0.0.1");
        gateway = TestingConfig.gateway().yaml("""
                server:
                  tls:
                    certificate: conf/tls/server.pem
                    privateKey: conf/tls/server.key
                    clientCa: conf/tls/clients-ca.pem
                identity:
                  - type: mtls
                    tenantField: subject.O
                    clientField: san.uri
                  - type: api-key
                    keys:
                      - { sha256: "%s", tenant: globex, client: ops }
                tenants:
                  - id: acme
                  - id: globex
                admin:
                  tokens: ["%s"]
                """.formatted(sha256(GLOBEX_KEY), ADMIN_TOKEN)).demoAndTesting("hello").startReady(home);
    }

    private static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    private static HttpResponse<String> initialize(SSLContext tls, String... headers) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("Content-Type", "application/json", "Accept", "application/json, text/event-stream"));
        all.addAll(List.of(headers));
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build()
                .send(HttpRequest.newBuilder(gateway.baseUri().resolve("/mcp")).headers(all.toArray(String[]::new))
                        .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(INITIALIZE.formatted("2025-11-25"))).build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    /** The tenant and client the admin API shows for a session. */
    private static String principalOf(HttpResponse<String> initialized) {
        String id = initialized.headers().firstValue("Mcp-Session-Id").orElseThrow();
        JsonNode sessions = new AdminClient(gateway.adminUri(), ADMIN_TOKEN).get("/admin/sessions").json();
        return StreamSupport.stream(sessions.spliterator(), false).filter(session -> session.path("id").asText().equals(id))
                .map(session -> session.path("tenant").asText() + "/" + session.path("client").asText()).findFirst().orElseThrow();
    }

    @Test
    void aCertificateFromTheClientCaTellsTenantAndClient() throws Exception {
        TestingCertificateAuthority.Issued bot = clientCa.issueClient("ci-bot", "CN=ci-bot, O=acme", "uri:spiffe://acme/ci-bot");
        HttpResponse<String> initialized = initialize(bot.context(serverCa));
        assertThat(initialized.statusCode()).isEqualTo(200);
        assertThat(principalOf(initialized)).isEqualTo("acme/spiffe://acme/ci-bot");
    }

    @Test
    void theSdkClientWithACertificateWorksOnEveryTransport() {
        TestingCertificateAuthority.Issued bot = clientCa.issueClient("sdk-bot", "CN=sdk-bot, O=acme", "uri:spiffe://acme/sdk-bot");
        for (String endpoint : List.of("/mcp", "/ws", "/sse")) {
            try (McpSyncClient client = TlsITSupport.client(gateway, endpoint, bot.context(serverCa))) {
                assertThat(text(client.callTool(call("testing__echo", Map.of("text", endpoint))))).as(endpoint).isEqualTo(endpoint);
            }
        }
    }

    @Test
    void aCertificateWithoutTheTenantFieldLeavesTheCallerToTheNextResolver() throws Exception {
        TestingCertificateAuthority.Issued anonymous = clientCa.issueClient("no-org", "CN=legacy-tool", "uri:spiffe://legacy");

        HttpResponse<String> keyed = initialize(anonymous.context(serverCa), "Authorization", "Bearer " + GLOBEX_KEY);
        assertThat(keyed.statusCode()).isEqualTo(200);
        assertThat(principalOf(keyed)).isEqualTo("globex/ops");

        HttpResponse<String> neither = initialize(anonymous.context(serverCa));
        assertThat(neither.statusCode()).isEqualTo(401);
        assertThat(neither.headers().firstValue("WWW-Authenticate")).as("the last resolver's answer").hasValue("Bearer realm=\"mcpgw\"");
        assertThat(JsonRpc.MAPPER.readTree(neither.body()).path("error").path("message").asText()).contains("API key");
    }

    /**
     * Under TLS 1.3 the client's side of the handshake ends before the server has judged its certificate, so the
     * refusal reaches the client either as the handshake's alert or as a connection closed before any answer.
     */
    @Test
    void aClientWithoutACertificateGetsNoConnection() {
        assertThatThrownBy(() -> initialize(serverCa.trustingContext(), "Authorization", "Bearer " + GLOBEX_KEY))
                .isInstanceOf(IOException.class);
    }

    @Test
    void aCertificateFromAnotherCaGetsNoConnection() {
        TestingCertificateAuthority other = TestingCertificateAuthority.create(home.resolve("elsewhere"), "other");
        TestingCertificateAuthority.Issued stranger = other.issueClient("stranger", "CN=ci-bot, O=acme", "uri:spiffe://acme/ci-bot");
        assertThatThrownBy(() -> initialize(stranger.context(serverCa), "Authorization", "Bearer " + GLOBEX_KEY))
                .isInstanceOf(IOException.class);
    }
}
