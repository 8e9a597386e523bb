package io.mcpgw.spi.identity;

import java.util.List;
import java.util.Objects;

/**
 * What OAuth clients are told about this gateway as a protected resource (RFC 9728), served at
 * {@code /.well-known/oauth-protected-resource} and named in the {@code WWW-Authenticate} of every 401.
 *
 * @param resource the gateway's resource URI, the audience its tokens must carry (RFC 8707), e.g.
 *     {@code https://mcp.example.com/mcp}
 * @param authorizationServers issuers that grant tokens for it
 * @param scopesSupported scopes a client may ask for
 */
public record ProtectedResource(String resource, List<String> authorizationServers, List<String> scopesSupported) {

    public ProtectedResource {
        Objects.requireNonNull(resource, "resource");
        authorizationServers = List.copyOf(authorizationServers);
        scopesSupported = List.copyOf(scopesSupported);
    }
}
