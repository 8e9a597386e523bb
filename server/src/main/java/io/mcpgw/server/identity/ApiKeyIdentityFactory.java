package io.mcpgw.server.identity;

import io.mcpgw.spi.ExtensionContext;
import io.mcpgw.spi.identity.Identity;
import io.mcpgw.spi.identity.IdentityResolver;
import io.mcpgw.spi.identity.IdentityResolverFactory;
import io.mcpgw.spi.identity.IdentityResult;
import io.mcpgw.spi.identity.RequestInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code identity: {type: api-key}}: keys presented as {@code Authorization: Bearer <key>} or {@code X-API-Key},
 * configured only as SHA-256 hashes, each mapped to a tenant and a client. A key is looked up by its hash, so the
 * lookup takes no longer for a near miss than for a far one.
 */
public final class ApiKeyIdentityFactory implements IdentityResolverFactory {

    private static final String CHALLENGE = "Bearer realm=\"mcpgw\"";

    /** One configured key. */
    record Key(String sha256, String tenant, String client, List<String> scopes) {
        Key {
            if (sha256 == null || !sha256.matches("(?i)[0-9a-f]{64}")) {
                throw new IllegalArgumentException("sha256: must be the 64 hex digits of the key's SHA-256 (e.g. printf %s KEY | sha256sum)");
            }
            if (tenant == null || client == null) {
                throw new IllegalArgumentException((tenant == null ? "tenant" : "client") + ": required value is missing");
            }
            sha256 = sha256.toLowerCase(Locale.ROOT);
            scopes = scopes == null ? List.of() : List.copyOf(scopes);
        }
    }

    /** The keys of the section. */
    record Settings(List<Key> keys) {
        Settings {
            if (keys == null || keys.isEmpty()) {
                throw new IllegalArgumentException("keys: at least one key is needed ({sha256, tenant, client})");
            }
            keys = List.copyOf(keys);
        }
    }

    @Override
    public String name() {
        return "api-key";
    }

    @Override
    public IdentityResolver create(ExtensionContext context) {
        Map<String, Identity> byHash = new HashMap<>();
        for (Key key : context.config().bind(Settings.class).keys()) {
            if (byHash.put(key.sha256(), new Identity(key.tenant(), key.client(), Set.copyOf(key.scopes()), Map.of())) != null) {
                throw new IllegalArgumentException("keys: the key with sha256 " + key.sha256().substring(0, 8) + "... is listed twice");
            }
        }
        return new Keys(Map.copyOf(byHash));
    }

    /** The configured keys by their SHA-256, held in memory: resolving never waits. */
    private record Keys(Map<String, Identity> byHash) implements IdentityResolver {
        @Override
        public IdentityResult resolve(RequestInfo request) {
            return ApiKeyIdentityFactory.resolve(byHash, request);
        }

        /** The keys' hashes are held in memory. */
        @Override
        public boolean neverBlocks() {
            return true;
        }
    }

    private static IdentityResult resolve(Map<String, Identity> byHash, RequestInfo request) {
        Optional<String> presented = request.bearerToken().or(() -> request.header("x-api-key").map(String::trim));
        if (presented.isEmpty()) {
            return new IdentityResult.Rejected(401, "an API key is required (Authorization: Bearer <key>)", Optional.of(CHALLENGE));
        }
        Identity identity = byHash.get(sha256(presented.get()));
        return identity == null
                ? new IdentityResult.Rejected(401, "the API key is not valid", Optional.of(CHALLENGE + ", error=\"invalid_token\""))
                : new IdentityResult.Authenticated(identity);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
