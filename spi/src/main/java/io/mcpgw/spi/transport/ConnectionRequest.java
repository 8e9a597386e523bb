package io.mcpgw.spi.transport;

import java.util.Map;
import java.util.Objects;

/**
 * What a connection is opened with.
 *
 * @param backendId the backend's configured id
 * @param environment credential variables for a process-based backend (added to the transport's own)
 * @param headers credential headers for a network backend
 */
public record ConnectionRequest(String backendId, Map<String, String> environment, Map<String, String> headers) {

    public ConnectionRequest {
        Objects.requireNonNull(backendId, "backendId");
        environment = Map.copyOf(environment);
        headers = Map.copyOf(headers);
    }

    @Override
    public String toString() {
        return "ConnectionRequest[backendId=" + backendId + ", environment=" + environment.keySet() + ", headers="
                + headers.keySet() + "]";
    }
}
