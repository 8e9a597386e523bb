package io.mcpgw.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.mcpgw.server.config.StartupException;
import io.mcpgw.server.ingress.CapturedLog;
import io.mcpgw.testkit.TestingCertificateAuthority;
import io.mcpgw.testkit.TestingGateway;
import io.modelcontextprotocol.client.McpSyncClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A listener's certificate and key are read again when their files change: new connections get the new
 * certificate, connections open keep working, and a pair that does not check out is refused in the log while the
 * previous one stays.
 */
class CertificateRotationIT {

    @TempDir
    Path home;

    private TestingGateway start(TestingCertificateAuthority ca) throws InterruptedException {
        ca.issueServer("server", "localhost", "127.0.0.1");
        return TestingGateway.start(home, """
                server:
                  tls: { certificate: conf/tls/server.pem, privateKey: conf/tls/server.key }
                reload:
                  interval: 200ms
                """).awaitReady(Duration.ofSeconds(30));
    }

    @Test
    void aStartWithAKeyThatIsNotTheCertificatesFailsAndSaysWhichFiles() {
        TestingCertificateAuthority ca = TestingCertificateAuthority.create(home.resolve("conf/tls"), "rotation");
        TestingCertificateAuthority.Issued one = ca.issueServer("one", "localhost");
        TestingCertificateAuthority.Issued other = ca.issueServer("other", "localhost");
        assertThatThrownBy(() -> TestingGateway.start(home, """
                server:
                  tls: { certificate: %s, privateKey: %s }
                """.formatted(one.certificateFile(), other.privateKeyFile())))
                .isInstanceOf(StartupException.class)
                .hasMessage("http listener failed to start: " + other.privateKeyFile() + ": the private key does not belong to the certificate in "
                        + one.certificateFile());
    }

    @Test
    void newConnectionsGetTheNewCertificateWithoutARestart() throws Exception {
        TestingCertificateAuthority ca = TestingCertificateAuthority.create(home.resolve("conf/tls"), "rotation");
        try (CapturedLog log = CapturedLog.from(Level.INFO);
                TestingGateway gateway = start(ca);
                McpSyncClient open = TlsITSupport.client(gateway, "/mcp", ca.trustingContext())) {
            X509Certificate first = TlsITSupport.presented(gateway.baseUri(), ca.trustingContext());
            TestingCertificateAuthority.Issued next = ca.issueServer("next", "localhost", "127.0.0.1");
            next.copyTo(home.resolve("conf/tls/server.pem"), home.resolve("conf/tls/server.key"));

            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                    assertThat(TlsITSupport.presented(gateway.baseUri(), ca.trustingContext()).getSerialNumber())
                            .isEqualTo(next.certificate().getSerialNumber()));
            assertThat(next.certificate().getSerialNumber()).isNotEqualTo(first.getSerialNumber());
            open.ping();
            assertThat(log.text()).contains("TLS certificate of the MCP listener reloaded from " + home.resolve("conf/tls/server.pem"));
        }
    }

    @Test
    void aBadNewPairIsRefusedInTheLogAndTheOldOneKept() throws Exception {
        TestingCertificateAuthority ca = TestingCertificateAuthority.create(home.resolve("conf/tls"), "rotation");
        try (CapturedLog log = CapturedLog.from(Level.INFO);
                TestingGateway gateway = start(ca)) {
            X509Certificate current = TlsITSupport.presented(gateway.baseUri(), ca.trustingContext());
            TestingCertificateAuthority.Issued one = ca.issueServer("one", "localhost", "127.0.0.1");
            TestingCertificateAuthority.Issued other = ca.issueServer("other", "localhost", "127.0.0.1");
            Files.copy(one.certificateFile(), home.resolve("conf/tls/server.pem"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(other.privateKeyFile(), home.resolve("conf/tls/server.key"), StandardCopyOption.REPLACE_EXISTING);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(log.text())
                    .contains("TLS certificate of the MCP listener not reloaded")
                    .contains("does not belong to the certificate")
                    .contains("keeping the previous one"));
            assertThat(TlsITSupport.presented(gateway.baseUri(), ca.trustingContext()).getSerialNumber())
                    .isEqualTo(current.getSerialNumber());

            Files.writeString(home.resolve("conf/tls/server.pem"), "not a certificate\n");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(log.text()).contains("not a PEM certificate file"));
            assertThat(TlsITSupport.presented(gateway.baseUri(), ca.trustingContext()).getSerialNumber())
                    .isEqualTo(current.getSerialNumber());

            String key = Files.readString(other.privateKeyFile());
            String keyBody = key.lines().filter(line -> !line.startsWith("-----")).findFirst().orElseThrow();
            assertThat(log.text()).doesNotContain("PRIVATE KEY").doesNotContain(keyBody);
        }
    }
}
