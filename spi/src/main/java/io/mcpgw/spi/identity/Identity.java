package io.mcpgw.spi.identity;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Who is calling.
 *
 * @param tenant the tenant the caller belongs to; quotas, grants and audit are per tenant
 * @param client the calling client within the tenant, e.g. {@code ci-bot}
 * @param scopes granted scopes (OAuth {@code scope}, or configured)
 * @param attributes anything else a policy may use, e.g. {@code groups}
 */
public record Identity(String tenant, String client, Set<String> scopes, Map<String, List<String>> attributes) {

    public Identity {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(client, "client");
        scopes = Set.copyOf(scopes);
        attributes = Map.copyOf(attributes);
    }
}
