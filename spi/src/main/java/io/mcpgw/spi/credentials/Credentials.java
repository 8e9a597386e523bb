package io.mcpgw.spi.credentials;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Secrets for one backend. {@link #toString()} shows names only, never values.
 *
 * @param environment variables for a stdio backend's process
 * @param headers headers for an HTTP backend's requests
 * @param ttl how long the broker may cache them; empty means the broker's default
 */
public record Credentials(Map<String, String> environment, Map<String, String> headers, Optional<Duration> ttl) {

    public Credentials {
        environment = Map.copyOf(environment);
        headers = Map.copyOf(headers);
        Objects.requireNonNull(ttl, "ttl");
    }

    @Override
    public String toString() {
        return "Credentials[environment=" + environment.keySet() + ", headers=" + headers.keySet() + ", ttl="
                + ttl.map(Duration::toString).orElse("default") + "]";
    }
}
