package io.mcpgw.server.egress;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * The keys of a backend reached over HTTP ({@code transport: http} or {@code sse}).
 *
 * @param url the backend's MCP endpoint, e.g. {@code http://127.0.0.1:3001/mcp}, or its SSE endpoint for {@code sse}
 * @param headers headers sent with every request (credentials come from the broker instead)
 * @param connectTimeout how long connecting may take
 */
record HttpSettings(URI url, Map<String, String> headers, Duration connectTimeout) {

    HttpSettings {
        if (url == null) {
            throw new IllegalArgumentException("url: required value is missing (the backend's MCP endpoint)");
        }
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("url: must be an http or https URL, was " + url);
        }
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(10) : connectTimeout;
    }
}
