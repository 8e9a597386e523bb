package io.mcpgw.server.cli;

import io.mcpgw.server.InstallPaths;
import io.mcpgw.server.config.ServerConfig;
import io.mcpgw.server.config.TlsConfig;
import io.mcpgw.server.tls.OwnCertificate;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Asks a gateway this launcher started whether it is ready: {@code GET /readyz} answered 200. Over HTTPS it trusts
 * only the certificate the configuration names and expects that very certificate, so the address's name need not
 * match it. When the listener requires client certificates, which the launcher has none of, a handshake that shows
 * the configured certificate is as far as it can ask: the listener is up.
 */
final class ReadinessProbe {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final Supplier<ServerConfig> server;
    private final InstallPaths paths;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    /** @param server the {@code server:} section, read when first needed (it fails while the file is broken) */
    ReadinessProbe(Supplier<ServerConfig> server, InstallPaths paths) {
        this.server = server;
        this.paths = paths;
    }

    boolean ready(String address) {
        try {
            URI uri = URI.create(address);
            if (!"https".equals(uri.getScheme())) {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(uri.resolve("/readyz")).timeout(TIMEOUT).build(),
                        HttpResponse.BodyHandlers.discarding());
                return response.statusCode() == 200;
            }
            Optional<TlsConfig> tls = server.get().listenerTls();
            if (tls.isEmpty()) {
                return false;
            }
            OwnCertificate own = OwnCertificate.read(tls.get(), paths);
            SSLContext trust = own.trustingIt();
            return tls.get().clientCa() != null ? handshakeShows(uri, trust, own) : readyOverHttps(uri, trust, own);
        } catch (IOException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean readyOverHttps(URI uri, SSLContext trust, OwnCertificate own) throws IOException {
        HttpsURLConnection connection = (HttpsURLConnection) uri.resolve("/readyz").toURL().openConnection();
        connection.setSSLSocketFactory(trust.getSocketFactory());
        // the certificate itself is checked instead of the name: only the configured one is trusted, and expected
        connection.setHostnameVerifier((name, session) -> own.presentedIn(session));
        connection.setConnectTimeout((int) TIMEOUT.toMillis());
        connection.setReadTimeout((int) TIMEOUT.toMillis());
        try {
            return connection.getResponseCode() == HttpURLConnection.HTTP_OK;
        } finally {
            connection.disconnect();
        }
    }

    private static boolean handshakeShows(URI uri, SSLContext trust, OwnCertificate own) throws IOException {
        try (SSLSocket socket = (SSLSocket) trust.getSocketFactory().createSocket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.startHandshake();
            return own.presentedIn(socket.getSession());
        }
    }
}
