package io.mcpgw.plugins.creds.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Vault's HTTP API: JSON in and out, {@code X-Vault-Token} and {@code X-Vault-Namespace} headers, errors as
 * {@code {"errors": [...]}}. A 404 is "no such secret"; a 403 a refused token; anything else that is not a 2xx, or
 * no answer at all, means Vault cannot answer now.
 */
final class VaultHttp {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Vault refused the token (403): it expired, was revoked, or lacks the policy. */
    static final class PermissionDenied extends RuntimeException {
        PermissionDenied(String message) {
            super(message);
        }
    }

    private final HttpClient http;
    private final URI address;
    private final String namespace;
    private final Duration timeout;

    VaultHttp(URI address, String namespace, Path caCertificate, Duration timeout) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout);
        if (caCertificate != null) {
            builder.sslContext(trusting(caCertificate));
        }
        this.http = builder.build();
        this.address = address;
        this.namespace = namespace;
        this.timeout = timeout;
    }

    /** A GET; empty for a 404. */
    Optional<JsonNode> get(String path, String token) {
        return send(request(path, token).GET());
    }

    /** A POST of {@code body}; empty for a 404. */
    Optional<JsonNode> post(String path, String token, JsonNode body) {
        return send(request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(address.resolve("/v1/" + path)).timeout(timeout);
        if (token != null) {
            request.header("X-Vault-Token", token);
        }
        if (namespace != null) {
            request.header("X-Vault-Namespace", namespace);
        }
        return request;
    }

    private Optional<JsonNode> send(HttpRequest.Builder request) {
        HttpRequest built = request.build();
        HttpResponse<String> response;
        try {
            response = http.send(built, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("Vault at " + address + " cannot be reached: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking Vault", e);
        }
        String where = built.method() + " " + built.uri().getPath();
        return switch (response.statusCode()) {
            case 200, 204 -> Optional.of(parse(response.body()));
            case 404 -> Optional.empty();
            case 403 -> throw new PermissionDenied(where + ": permission denied" + errors(response.body()));
            default -> throw new IllegalStateException(where + ": Vault answered HTTP " + response.statusCode() + errors(response.body()));
        };
    }

    private static JsonNode parse(String body) {
        try {
            return body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("Vault answered something that is not JSON", e);
        }
    }

    /** Vault's own words: {@code {"errors": ["..."]}}, never a secret. */
    private static String errors(String body) {
        try {
            JsonNode errors = JSON.readTree(body).path("errors");
            List<String> messages = new ArrayList<>();
            errors.forEach(error -> messages.add(error.asText()));
            return messages.isEmpty() ? "" : " (" + String.join("; ", messages) + ")";
        } catch (IOException e) {
            return "";
        }
    }

    private static SSLContext trusting(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("vault-ca-" + i++, certificate);
            }
            if (i == 0) {
                throw new IllegalArgumentException("caCertificate: " + pem + " holds no PEM certificate");
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException("caCertificate: cannot read " + pem + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("caCertificate: " + pem + ": " + e.getMessage(), e);
        }
    }
}
