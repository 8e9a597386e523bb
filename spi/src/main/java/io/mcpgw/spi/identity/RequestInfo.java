package io.mcpgw.spi.identity;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of an incoming HTTP request an identity resolver may look at.
 *
 * @param method the HTTP method
 * @param path the request path, e.g. {@code /mcp}
 * @param headers header values by lower-case name
 * @param remoteAddress the peer's address, e.g. {@code 127.0.0.1}
 * @param clientCertificates the certificate chain the client presented over TLS, its own certificate first, already
 *     verified against {@code server.tls.clientCa}; empty without TLS or without client certificates
 */
public record RequestInfo(String method, String path, Map<String, List<String>> headers, String remoteAddress,
        List<X509Certificate> clientCertificates) {

    public RequestInfo {
        headers = Map.copyOf(headers);
        clientCertificates = List.copyOf(clientCertificates);
    }

    /** A request without a client certificate. */
    public RequestInfo(String method, String path, Map<String, List<String>> headers, String remoteAddress) {
        this(method, path, headers, remoteAddress, List.of());
    }

    /** The first value of a header, by case-insensitive name. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    /** The token of an {@code Authorization: Bearer} header. */
    public Optional<String> bearerToken() {
        return header("authorization")
                .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(value -> value.substring(7).trim())
                .filter(token -> !token.isEmpty());
    }
}
