package io.mcpgw.server.egress;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.mcpgw.server.jsonrpc.CanonicalJson;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.spi.credentials.Credentials;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which credentials a connection was opened with, as a fingerprint that reveals none of them: connections serve
 * only callers whose credentials are the same (a stdio child per distinct set, e.g. per tenant).
 */
final class CredentialKey {

    static final String NONE = "";

    private CredentialKey() {}

    /**
     * The broker hands out the same cached {@link Credentials} for many calls, so each instance is hashed once
     * (weak keys compare by identity and let go of credentials the broker dropped).
     */
    private static final Cache<Credentials, String> KEYS = Caffeine.newBuilder().weakKeys().maximumSize(10_000).build();

    static String of(Optional<Credentials> credentials) {
        return credentials.map(found -> KEYS.get(found, CredentialKey::fingerprint)).orElse(NONE);
    }

    private static String fingerprint(Credentials credentials) {
        var sealed = JsonRpc.MAPPER.createObjectNode();
        sealed.set("environment", JsonRpc.MAPPER.valueToTree(new TreeMap<>(credentials.environment())));
        sealed.set("headers", JsonRpc.MAPPER.valueToTree(new TreeMap<>(credentials.headers())));
        return CanonicalJson.sha256(sealed);
    }
}
