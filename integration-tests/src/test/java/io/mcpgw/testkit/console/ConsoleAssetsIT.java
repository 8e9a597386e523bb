package io.mcpgw.testkit.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpgw.testkit.AdminClient;
import io.mcpgw.testkit.TestingGateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's files as the admin listener serves them: types, caching, the Content-Security-Policy, and nothing else. */
class ConsoleAssetsIT {

    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    @TempDir
    static Path home;

    private static TestingGateway gateway;
    private static AdminClient anonymous;

    @BeforeAll
    static void startGateway() {
        gateway = TestingGateway.start(home, """
                admin:
                  tokens: ["console-admin-token-0123456789"]
                backends: []
                """);
        anonymous = new AdminClient(gateway.adminUri(), null);
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    @Test
    void thePageAndItsModulesAreServedWithTheirTypesAndAStrictPolicy() {
        AdminClient.Answer page = anonymous.get("/console/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(page.header("Content-Security-Policy")).isEqualTo(CSP);
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(page.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(page.header("Set-Cookie")).isNull();
        assertThat(page.body()).contains("<script type=\"module\" src=\"app.js\"></script>")
                .doesNotContainPattern("<script(?![^>]*\\bsrc=)").doesNotContainPattern("\\sstyle=").doesNotContainPattern("\\son[a-z]+=")
                .doesNotContain("http://", "https://");

        for (List<String> asset : List.of(List.of("/console/app.js", "text/javascript; charset=utf-8", "import"),
                List.of("/console/console.css", "text/css; charset=utf-8", ":root"),
                List.of("/console/lib/uplot.js", "text/javascript; charset=utf-8", "export { uPlot as default }"),
                List.of("/console/lib/uplot.css", "text/css; charset=utf-8", ".uplot"),
                List.of("/console/icon.svg", "image/svg+xml", "<svg"))) {
            AdminClient.Answer answer = anonymous.get(asset.get(0));
            assertThat(answer.status()).as(asset.get(0)).isEqualTo(200);
            assertThat(answer.header("Content-Type")).as(asset.get(0)).isEqualTo(asset.get(1));
            assertThat(answer.body()).as(asset.get(0)).contains(asset.get(2));
            assertThat(answer.header("ETag")).as(asset.get(0)).matches("\"[0-9a-f]{24}\"");
        }
        assertThat(anonymous.get("/console/app.js").body()).doesNotContain("innerHTML", "eval(");
    }

    @Test
    void anUnchangedFileIsNotSentAgain() throws IOException {
        String etag = anonymous.get("/console/app.js").header("ETag");
        Answer again = raw("GET /console/app.js HTTP/1.1\r\nHost: 127.0.0.1\r\nIf-None-Match: " + etag + "\r\nConnection: close\r\n\r\n");
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @Test
    void theConsoleRedirectsToItsPageAndRefusesWrites() throws IOException {
        Answer bare = raw("GET /console HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertThat(bare.status()).isEqualTo(308);
        assertThat(bare.header("Location")).isEqualTo("/console/");
        AdminClient.Answer posted = anonymous.post("/console/app.js", "{}");
        assertThat(posted.status()).isEqualTo(405);
        assertThat(posted.header("Allow")).isEqualTo("GET, HEAD");
    }

    @Test
    void nothingOutsideTheConsoleIsReachableThroughIt() throws IOException {
        for (String path : List.of("/console/../admin/status", "/console/%2e%2e/admin/status", "/console/..%2fadmin%2fstatus",
                "/console/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", "/console/..%5c..%5cetc%5cpasswd", "/console/lib/..%2f..%2f..%2fetc%2fpasswd",
                "/console/lib/%2e%2e/%2e%2e/log4j2.xml", "/console/%252e%252e/admin/status", "/console/..;/admin/status",
                "/console/io/mcpgw/server/Gateway.class", "/console/META-INF/MANIFEST.MF", "/console/lib/uPlot.esm.js", "/console/lib/",
                "/console/lib", "/console/./index.html", "/console//index.html", "/console/index.html%00.js", "/console/nowhere.js")) {
            Answer answer = raw("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            assertThat(answer.status()).as(path).isIn(400, 401, 404);
            assertThat(answer.body()).as(path).doesNotContain("root:", "uptimeSeconds", "<Configuration", "uPlot", "<html");
        }
        assertThat(raw("GET /console/index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").status())
                .as("the page by its own name").isEqualTo(200);
    }

    /** What came back to a request sent byte for byte (clients normalize {@code ..} away before it leaves). */
    private record Answer(int status, String head, String body) {
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    private static Answer raw(String request) throws IOException {
        URI admin = gateway.adminUri();
        try (Socket socket = new Socket(admin.getHost(), admin.getPort())) {
            socket.setSoTimeout((int) Duration.ofSeconds(10).toMillis());
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (InputStream in = socket.getInputStream()) {
                in.transferTo(bytes);
            }
            String text = bytes.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            String head = end < 0 ? text : text.substring(0, end);
            String[] statusLine = head.split(" ", 3);
            return new Answer(statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : 0, head, end < 0 ? "" : text.substring(end + 4));
        }
    }
}
