package io.mcpgw.server.identity;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcpgw.server.Gateway;
import io.mcpgw.server.InstallPaths;
import io.mcpgw.server.config.ConfigException;
import io.mcpgw.server.config.ConfigLoader;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad {@code identity:} section stops the gateway before it starts, saying where and what. */
class IdentityConfigTest {

    @TempDir
    Path home;

    private void assertRefused(String yaml, String message) {
        assertThatThrownBy(() -> Gateway.assemble(new ConfigLoader(Map.<String, String>of()::get).parse(yaml, "mcpgw.yaml"),
                new InstallPaths(home), Clock.systemUTC()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(message);
    }

    @Test
    void apiKeysMustBeHashes() {
        assertRefused("""
                identity:
                  type: api-key
                  keys:
                    - { sha256: "plain-text-key", tenant: acme, client: bot }
                """, "mcpgw.yaml: identity.keys[0].sha256: must be the 64 hex digits of the key's SHA-256");
        assertRefused("""
                identity:
                  type: api-key
                """, "mcpgw.yaml: identity.keys: at least one key is needed");
    }

    @Test
    void jwtNeedsAnIssuerAnAudienceAndKeys() {
        assertRefused("""
                identity:
                  type: jwt
                  audience: https://mcp.example.test/mcp
                  jwksUrl: https://auth.example.test/jwks
                """, "mcpgw.yaml: identity.issuer: required value is missing");
        assertRefused("""
                identity:
                  type: jwt
                  issuer: https://auth.example.test
                  audience: https://mcp.example.test/mcp
                """, "mcpgw.yaml: identity.jwksUrl: give the issuer's JWKS URL, or its keys inline as jwks");
    }
}
