package io.mcpgw.server.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code telemetry:} section. Traces and metrics are always recorded (metrics are served at {@code /metrics}
 * on the admin listener); {@code otlp} also exports both to a collector.
 *
 * @param serviceName the {@code service.name} resource attribute
 * @param sampleRatio the share of traces started here that are recorded (0 to 1); a caller's sampled
 *     {@code traceparent} is always followed
 * @param otlp where to export, if anywhere
 */
public record TelemetryConfig(String serviceName, Double sampleRatio, Optional<Otlp> otlp) {

    public static final TelemetryConfig DEFAULTS = new TelemetryConfig(null, null, null);

    public TelemetryConfig {
        serviceName = serviceName == null ? "mcpgw" : serviceName;
        sampleRatio = sampleRatio == null ? 1.0 : sampleRatio;
        if (sampleRatio < 0 || sampleRatio > 1) {
            throw new IllegalArgumentException("sampleRatio: must be between 0 and 1");
        }
        otlp = otlp == null ? Optional.empty() : otlp;
    }

    /**
     * An OTLP/HTTP (protobuf) collector.
     *
     * @param endpoint its base URL, e.g. {@code http://127.0.0.1:4318}; {@code /v1/traces} and {@code /v1/metrics}
     *     are appended
     * @param headers sent with every export (e.g. an API key)
     * @param interval how often metrics are exported
     */
    public record Otlp(String endpoint, Map<String, String> headers, Duration interval) {

        public Otlp {
            if (endpoint == null || !(endpoint.startsWith("http://") || endpoint.startsWith("https://"))) {
                throw new IllegalArgumentException("endpoint: an http:// or https:// URL of the collector is required");
            }
            endpoint = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
            headers = headers == null ? Map.of() : Map.copyOf(headers);
            interval = interval == null ? Duration.ofSeconds(30) : interval;
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("interval: must be positive");
            }
        }
    }
}
