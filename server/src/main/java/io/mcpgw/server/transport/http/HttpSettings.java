package io.mcpgw.server.transport.http;

import io.mcpgw.server.config.TlsConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The keys of a backend reached over HTTP ({@code transport: http} or {@code sse}).
 *
 * @param url the backend's MCP endpoint, e.g. {@code http://127.0.0.1:3001/mcp}, or its SSE endpoint for {@code sse}
 * @param headers headers sent with every request (credentials come from the broker instead)
 * @param connectTimeout how long connecting may take
 * @param tls for an {@code https} URL: the CAs the backend's certificate must chain to ({@code ca}, else the JDK's),
 *     and the certificate the gateway presents ({@code certificate}, {@code privateKey})
 */
record HttpSettings(URI url, Map<String, String> headers, Duration connectTimeout, TlsConfig tls) {

    HttpSettings {
        if (url == null) {
            throw new IllegalArgumentException("url: required value is missing (the backend's MCP endpoint)");
        }
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("url: must be an http or https URL, was " + url);
        }
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(10) : connectTimeout;
        if (tls != null && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("tls: only for an https url, the url is " + url);
        }
        tls = tls == null ? null : tls.forBackend();
    }

    /** The backend's TLS settings, if it has any. */
    Optional<TlsConfig> backendTls() {
        return Optional.ofNullable(tls);
    }

    boolean secure() {
        return "https".equals(url.getScheme());
    }
}
