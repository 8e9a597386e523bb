package io.mcpgw.server.tls;

import static io.mcpgw.server.ingress.McpClientITSupport.call;
import static io.mcpgw.server.ingress.McpClientITSupport.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.mcpgw.testkit.NpmPeers;
import io.mcpgw.testkit.TestingCertificateAuthority;
import io.mcpgw.testkit.TestingConfig;
import io.mcpgw.testkit.TestingGateway;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MCP and admin listeners over TLS, with certificates from a CA the test makes: every transport through the
 * official SDK client, the Origin and Host checks, and what TLS is spoken (1.3 and 1.2, modern suites only).
 */
class TlsIT {

    private static final String ADMIN_TOKEN = "tls-admin-token-0123456789";

    @TempDir
    static Path home;

    private static TestingCertificateAuthority ca;
    private static TestingGateway gateway;

    @BeforeAll
    static void startGateway() throws InterruptedException {
        ca = TestingCertificateAuthority.create(home.resolve("conf/tls"), "mcpgw-test");
        TestingCertificateAuthority.Issued server = ca.issueServer("server", "localhost", "127.0.0.1");
        TestingCertificateAuthority.Issued admin = ca.issue("admin", "CN=admin.localhost", List.of("localhost", "127.0.0.1"),
                KeyPurposeId.id_kp_serverAuth, "RSA", Duration.ofDays(1));
        gateway = TestingConfig.gateway().yaml("""
                server:
                  tls:
                    certificate: conf/tls/server.pem
                    privateKey: conf/tls/server.key
                admin:
                  tokens: ["%s"]
                  tls: { certificate: conf/tls/admin.pem, privateKey: conf/tls/admin.key }
                """.formatted(ADMIN_TOKEN)).demoAndTesting("hello").startReady(home);
        assertThat(server.certificateFile()).isEqualTo(home.resolve("conf/tls/server.pem"));
        assertThat(admin.privateKeyFile()).isEqualTo(home.resolve("conf/tls/admin.key"));
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    @Test
    void theListenersSayHttps() {
        assertThat(gateway.baseUri().getScheme()).isEqualTo("https");
        assertThat(gateway.adminUri().getScheme()).isEqualTo("https");
    }

    @Test
    void theSdkClientSpeaksStreamableHttpOverHttps() {
        try (McpSyncClient client = TlsITSupport.client(gateway, "/mcp", ca.trustingContext())) {
            assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).contains("demo__add", "testing__echo");
            assertThat(text(client.callTool(call("demo__add", Map.of("a", 2, "b", 40))))).isEqualTo("42");
        }
    }

    @Test
    void theSdkClientSpeaksWebSocketOverTls() {
        try (McpSyncClient client = TlsITSupport.client(gateway, "/ws", ca.trustingContext())) {
            assertThat(text(client.callTool(call("testing__echo", Map.of("text", "over wss"))))).isEqualTo("over wss");
        }
    }

    @Test
    void theSdkClientSpeaksTheSseTransportOverTls() {
        try (McpSyncClient client = TlsITSupport.client(gateway, "/sse", ca.trustingContext())) {
            assertThat(text(client.callTool(call("demo__echo", Map.of("text", "over sse"))))).isEqualTo("over sse");
        }
    }

    /** The TypeScript SDK's client, trusting the test CA through {@code NODE_EXTRA_CA_CERTS} as a Node user would. */
    @Test
    void theTypeScriptSdkClientSpeaksStreamableHttpAndSseOverHttps() throws Exception {
        if (NpmPeers.typeScriptClient().isEmpty()) {
            if (NpmPeers.required()) {
                fail("CI=true but node or the TypeScript SDK is missing (testkit/npm)");
            }
            Assumptions.abort("node is not installed here; this test runs wherever it is, and always under CI");
        }
        for (String kind : List.of("streamable", "sse")) {
            String url = gateway.baseUri() + (kind.equals("sse") ? "/sse" : "/mcp");
            ProcessBuilder builder = new ProcessBuilder(NpmPeers.node().orElseThrow().toString(),
                    NpmPeers.typeScriptClient().orElseThrow().toString(), kind, url, "demo__add", "{\"a\":20,\"b\":22}")
                    .redirectErrorStream(true);
            builder.environment().put("NODE_EXTRA_CA_CERTS", ca.certificateFile().toString());
            Process node = builder.start();
            try {
                assertThat(node.waitFor(60, TimeUnit.SECONDS)).as(kind + " client finished").isTrue();
                String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(node.exitValue()).as(out).isZero();
                assertThat(out).as(kind).contains("\"text\":\"42\"");
            } finally {
                node.destroyForcibly();
            }
        }
    }

    @Test
    void theAdminApiAnswersOverHttpsWithItsOwnCertificate() throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(ca.trustingContext()).build();
        HttpResponse<String> backends = http.send(HttpRequest.newBuilder(gateway.adminUri().resolve("/admin/backends"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(backends.statusCode()).isEqualTo(200);
        assertThat(backends.body()).contains("\"demo\"");
        assertThat(TlsITSupport.presented(gateway.adminUri(), ca.trustingContext()).getSubjectX500Principal().getName())
                .isEqualTo("CN=admin.localhost");
        assertThat(TlsITSupport.presented(gateway.baseUri(), ca.trustingContext()).getSubjectX500Principal().getName())
                .isEqualTo("CN=localhost");
    }

    @Test
    void aClientThatDoesNotTrustTheCaIsRefused() throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(SSLContext.getDefault()).build();
        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(gateway.baseUri().resolve("/healthz")).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void plainHttpOnTheTlsPortIsNotServed() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI plain = URI.create(gateway.baseUri().toString().replaceFirst("^https", "http") + "/healthz");
        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(plain).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
    }

    @Test
    void originAndHostAreCheckedOverTlsToo() throws Exception {
        URI base = gateway.baseUri();
        SSLContext tls = ca.trustingContext();
        assertThat(TlsITSupport.statusLine(base, tls, TlsITSupport.initialize("localhost:" + base.getPort(), "https://localhost:" + base.getPort())))
                .startsWith("HTTP/1.1 200");
        assertThat(TlsITSupport.statusLine(base, tls, TlsITSupport.initialize("localhost:" + base.getPort(), "https://evil.example")))
                .startsWith("HTTP/1.1 403");
        assertThat(TlsITSupport.statusLine(base, tls, TlsITSupport.initialize("evil.example", null)))
                .startsWith("HTTP/1.1 403");
    }

    @Test
    void tls13IsSpokenAndTls12WithModernSuites() throws Exception {
        assertThat(protocolOf(null, null)).isEqualTo("TLSv1.3");
        assertThat(protocolOf("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")).isEqualTo("TLSv1.2");
        assertThat(protocolOf("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256")).isEqualTo("TLSv1.2");
    }

    @Test
    void suitesWithoutAeadOrForwardSecrecyAreRefused() {
        for (String weak : List.of("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA")) {
            assertThatThrownBy(() -> protocolOf("TLSv1.2", weak)).as(weak).isInstanceOf(SSLHandshakeException.class);
        }
    }

    /** The protocol a handshake with the MCP listener ends in, the client offering only {@code protocol} and {@code suite} (null: its defaults). */
    private static String protocolOf(String protocol, String suite) throws IOException {
        try (SSLSocket socket = TlsITSupport.socket(gateway.baseUri(), ca.trustingContext())) {
            if (protocol != null) {
                socket.setEnabledProtocols(new String[] {protocol});
                socket.setEnabledCipherSuites(new String[] {suite});
            }
            socket.startHandshake();
            return socket.getSession().getProtocol();
        }
    }
}
