package io.mcpgw.server.tls;

import static io.mcpgw.server.ingress.McpClientITSupport.INITIALIZE;
import static io.mcpgw.server.ingress.McpClientITSupport.call;
import static io.mcpgw.server.ingress.McpClientITSupport.client;
import static io.mcpgw.server.ingress.McpClientITSupport.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.server.egress.BackendStatus;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.testkit.TestingCertificateAuthority;
import io.mcpgw.testkit.TestingGateway;
import io.mcpgw.testkit.TestingHttpMcpBackend;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS backends with certificates from a CA of their own: trusted with {@code tls.ca}, their name checked against
 * their certificate, and a client certificate presented to one that requires it. A backend that cannot be trusted
 * fails with the reason in its state, and the gateway serves the others.
 */
class BackendTlsIT {

    @TempDir
    static Path home;

    private static TestingHttpMcpBackend trusted;
    private static TestingHttpMcpBackend misnamed;
    private static TestingHttpMcpBackend mutual;
    private static TestingGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        Path tls = home.resolve("conf/tls");
        TestingCertificateAuthority backendCa = TestingCertificateAuthority.create(tls, "remote");
        TestingCertificateAuthority gatewayCa = TestingCertificateAuthority.create(tls, "gateways");
        trusted = TestingHttpMcpBackend.overTls(backendCa.issueServer("trusted", "localhost"), "localhost", Optional.empty());
        misnamed = TestingHttpMcpBackend.overTls(backendCa.issueServer("misnamed", "other.example"), "localhost", Optional.empty());
        mutual = TestingHttpMcpBackend.overTls(backendCa.issueServer("mutual", "localhost"), "localhost", Optional.of(gatewayCa));
        gatewayCa.issueClient("mcpgw", "CN=mcpgw, O=platform");
        gateway = TestingGateway.start(home, """
                backends:
                  - id: trusted
                    transport: http
                    url: %s
                    tls: { ca: conf/tls/remote-ca.pem }
                  - id: misnamed
                    transport: http
                    url: %s
                    tls: { ca: conf/tls/remote-ca.pem }
                  - id: mutual
                    transport: http
                    url: %s
                    tls: { ca: conf/tls/remote-ca.pem, certificate: conf/tls/mcpgw.pem, privateKey: conf/tls/mcpgw.key }
                  - id: anonymous
                    transport: http
                    url: %s
                    tls: { ca: conf/tls/remote-ca.pem }
                  - id: untrusted
                    transport: http
                    url: %s
                """.formatted(trusted.uri(), misnamed.uri(), mutual.uri(), mutual.uri(), trusted.uri())).awaitReady(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        trusted.close();
        misnamed.close();
        mutual.close();
    }

    @Test
    void anHttpsBackendWithItsOwnCaIsServed() {
        assertThat(trusted.uri().getScheme()).isEqualTo("https");
        assertThat(gateway.gateway().backends().get("trusted").state()).isEqualTo(BackendStatus.State.UP);
        try (McpSyncClient client = client(gateway, "/mcp", tools -> { })) {
            assertThat(text(client.callTool(call("trusted__echo", Map.of("text", "over https"))))).isEqualTo("over https");
        }
    }

    @Test
    void aBackendWhoseCertificateNamesAnotherHostIsRefused() throws Exception {
        BackendStatus status = gateway.gateway().backends().get("misnamed");
        assertThat(status.state()).isEqualTo(BackendStatus.State.FAILED);
        assertThat(status.detail()).contains("TLS handshake failed", "No subject alternative DNS name matching localhost");
        try (McpSyncClient client = client(gateway, "/mcp", tools -> { })) {
            assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).contains("trusted__echo")
                    .noneMatch(name -> name.startsWith("misnamed__"));
        }
        // as for any backend that is not up, its tools are unknown: a JSON-RPC error, the reason kept for the operator
        for (String endpoint : List.of("/mcp", "/servers/misnamed/mcp")) {
            String tool = endpoint.equals("/mcp") ? "misnamed__echo" : "echo";
            HttpResponse<String> answer = callRaw(endpoint, tool);
            assertThat(answer.statusCode()).as(endpoint).isEqualTo(200);
            JsonNode error = JsonRpc.MAPPER.readTree(answer.body()).path("error");
            assertThat(error.path("code").asInt()).as(endpoint).isEqualTo(-32602);
            assertThat(error.path("message").asText()).as(endpoint).isEqualTo("Unknown tool: " + tool).doesNotContain("subject alternative");
        }
        assertThat(misnamed.calls()).isZero();
    }

    /** A tools/call in a new session of {@code endpoint}, as a client without an SDK sends it. */
    private static HttpResponse<String> callRaw(String endpoint, String tool) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> initialized = http.send(post(endpoint, null, INITIALIZE.formatted("2025-11-25")), HttpResponse.BodyHandlers.ofString());
        String session = initialized.headers().firstValue("Mcp-Session-Id").orElseThrow();
        http.send(post(endpoint, session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"), HttpResponse.BodyHandlers.ofString());
        return http.send(post(endpoint, session, """
                {"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"%s","arguments":{"text":"x"}}}""".formatted(tool)),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest post(String endpoint, String session, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.baseUri().resolve(endpoint))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", "2025-11-25").POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        return request.build();
    }

    @Test
    void aClientCertificateIsPresentedToABackendThatRequiresIt() {
        assertThat(gateway.gateway().backends().get("mutual").state()).isEqualTo(BackendStatus.State.UP);
        try (McpSyncClient client = client(gateway, "/mcp", tools -> { })) {
            assertThat(text(client.callTool(call("mutual__echo", Map.of("text", "mutual"))))).isEqualTo("mutual");
        }
        assertThat(mutual.clientCertificateSubjects()).isNotEmpty().allMatch(subject -> subject.equals("CN=mcpgw,O=platform"));
    }

    @Test
    void withoutAClientCertificateABackendThatRequiresOneIsRefused() {
        BackendStatus status = gateway.gateway().backends().get("anonymous");
        assertThat(status.state()).isEqualTo(BackendStatus.State.FAILED);
        assertThat(status.detail()).contains("certificate_required");
    }

    @Test
    void withoutCaABackendIsCheckedAgainstTheJdkTrustStore() {
        BackendStatus status = gateway.gateway().backends().get("untrusted");
        assertThat(status.state()).isEqualTo(BackendStatus.State.FAILED);
        assertThat(status.detail()).contains("TLS handshake failed", "PKIX path building failed");
    }
}
