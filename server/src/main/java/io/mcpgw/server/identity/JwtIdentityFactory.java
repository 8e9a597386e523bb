package io.mcpgw.server.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.mcpgw.spi.ExtensionContext;
import io.mcpgw.spi.identity.Identity;
import io.mcpgw.spi.identity.IdentityResolver;
import io.mcpgw.spi.identity.IdentityResolverFactory;
import io.mcpgw.spi.identity.IdentityResult;
import io.mcpgw.spi.identity.ProtectedResource;
import io.mcpgw.spi.identity.RequestInfo;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code identity: {type: jwt}}: an OAuth 2.1 resource server as the MCP authorization spec has it. A bearer token
 * must be a JWT signed (RSA or EC) by a key of the issuer's JWKS, from {@code issuer}, for {@code audience} (this
 * gateway's resource URI, RFC 8707), unexpired, with every required scope. A 401 names the protected resource
 * metadata (RFC 9728); a missing scope is a 403 {@code insufficient_scope}. Verified tokens are remembered until
 * they expire.
 */
public final class JwtIdentityFactory implements IdentityResolverFactory {

    /** The keys of the section. */
    record Settings(String issuer, URI audience, URI jwksUrl, Map<String, Object> jwks, List<String> requiredScopes,
            String tenantClaim, String clientClaim, String tenant, Duration clockSkew, Duration jwksCacheTtl) {
        Settings {
            if (issuer == null) {
                throw new IllegalArgumentException("issuer: required value is missing (the authorization server, as tokens name it in iss)");
            }
            if (audience == null) {
                throw new IllegalArgumentException("audience: required value is missing (this gateway's resource URI, e.g. https://mcp.example.com/mcp)");
            }
            if ((jwksUrl == null) == (jwks == null)) {
                throw new IllegalArgumentException("jwksUrl: give the issuer's JWKS URL, or its keys inline as jwks (one of the two)");
            }
            requiredScopes = requiredScopes == null ? List.of() : List.copyOf(requiredScopes);
            tenantClaim = tenantClaim == null ? "tenant" : tenantClaim;
            clientClaim = clientClaim == null ? "client_id" : clientClaim;
            clockSkew = clockSkew == null ? Duration.ofSeconds(60) : clockSkew;
            jwksCacheTtl = jwksCacheTtl == null ? Duration.ofMinutes(5) : jwksCacheTtl;
        }
    }

    @Override
    public String name() {
        return "jwt";
    }

    @Override
    public IdentityResolver create(ExtensionContext context) {
        return new Resolver(context.config().bind(Settings.class));
    }

    private static final class Resolver implements IdentityResolver {

        private final Settings settings;
        private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        private final String metadataUrl;
        private final Cache<String, Identity> verified;

        Resolver(Settings settings) {
            this.settings = settings;
            Set<JWSAlgorithm> algorithms = new HashSet<>(JWSAlgorithm.Family.RSA);
            algorithms.addAll(JWSAlgorithm.Family.EC);
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys(settings)));
            DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(Set.of(settings.audience().toString()),
                    new JWTClaimsSet.Builder().issuer(settings.issuer()).build(), Set.of("exp"), Set.of());
            claims.setMaxClockSkew((int) settings.clockSkew().toSeconds());
            processor.setJWTClaimsSetVerifier(claims);
            URI audience = settings.audience();
            this.metadataUrl = audience.getScheme() + "://" + audience.getRawAuthority() + "/.well-known/oauth-protected-resource"
                    + (audience.getRawPath() == null || audience.getRawPath().equals("/") ? "" : audience.getRawPath());
            this.verified = Caffeine.newBuilder().maximumSize(10_000)
                    .expireAfter(Expiry.creating((String token, Identity identity) -> Duration.ofSeconds(30)))
                    .build();
        }

        private static JWKSource<SecurityContext> keys(Settings settings) {
            if (settings.jwks() != null) {
                try {
                    return new ImmutableJWKSet<>(JWKSet.parse(settings.jwks()));
                } catch (ParseException e) {
                    throw new IllegalArgumentException("jwks: not a JWK set: " + e.getMessage(), e);
                }
            }
            try {
                return JWKSourceBuilder.<SecurityContext>create(settings.jwksUrl().toURL())
                        .cache(settings.jwksCacheTtl().toMillis(), JWKSourceBuilder.DEFAULT_CACHE_REFRESH_TIMEOUT)
                        .retrying(true)
                        .build();
            } catch (MalformedURLException | IllegalArgumentException e) {
                throw new IllegalArgumentException("jwksUrl: not a URL: " + settings.jwksUrl(), e);
            }
        }

        @Override
        public IdentityResult resolve(RequestInfo request) {
            Optional<String> token = request.bearerToken();
            if (token.isEmpty()) {
                return unauthorized("a bearer token is required", Optional.empty());
            }
            Identity cached = verified.getIfPresent(token.get());
            if (cached != null) {
                return new IdentityResult.Authenticated(cached);
            }
            JWTClaimsSet claims;
            try {
                claims = processor.process(token.get(), null);
            } catch (ParseException e) {
                return unauthorized("the bearer token is not a JWT", Optional.of("invalid_token"));
            } catch (BadJWTException e) {
                return unauthorized("the bearer token's claims are not accepted (expired, not yet valid, or for another issuer"
                        + " or audience)", Optional.of("invalid_token"));
            } catch (BadJOSEException | JOSEException e) {
                return unauthorized("the bearer token's signature could not be verified", Optional.of("invalid_token"));
            }
            Set<String> scopes = scopes(claims);
            List<String> missing = settings.requiredScopes().stream().filter(scope -> !scopes.contains(scope)).toList();
            if (!missing.isEmpty()) {
                return new IdentityResult.Rejected(403, "the token lacks the scope " + String.join(" ", missing),
                        Optional.of("Bearer error=\"insufficient_scope\", scope=\"" + String.join(" ", settings.requiredScopes())
                                + "\", resource_metadata=\"" + metadataUrl + "\""));
            }
            Optional<String> tenant = claim(claims, settings.tenantClaim()).or(() -> Optional.ofNullable(settings.tenant()));
            if (tenant.isEmpty()) {
                return new IdentityResult.Rejected(403, "the token names no tenant (claim '" + settings.tenantClaim() + "')", Optional.empty());
            }
            String client = claim(claims, settings.clientClaim()).or(() -> claim(claims, "azp")).or(() -> claim(claims, "sub")).orElse("unknown");
            Identity identity = new Identity(tenant.get(), client, scopes, Map.of("sub", List.of(Optional.ofNullable(claims.getSubject()).orElse(""))));
            Instant expires = claims.getExpirationTime().toInstant();
            if (expires.isAfter(Instant.now())) {
                verified.policy().expireVariably().ifPresent(variable ->
                        variable.put(token.get(), identity, Duration.between(Instant.now(), expires)));
            }
            return new IdentityResult.Authenticated(identity);
        }

        private IdentityResult unauthorized(String message, Optional<String> error) {
            return new IdentityResult.Rejected(401, message, Optional.of("Bearer realm=\"mcpgw\", resource_metadata=\"" + metadataUrl + "\""
                    + error.map(code -> ", error=\"" + code + "\"").orElse("")));
        }

        @Override
        public Optional<ProtectedResource> protectedResource() {
            return Optional.of(new ProtectedResource(settings.audience().toString(), List.of(settings.issuer()), settings.requiredScopes()));
        }

        private static Set<String> scopes(JWTClaimsSet claims) {
            Set<String> scopes = new LinkedHashSet<>();
            Object scope = claims.getClaim("scope");
            if (scope instanceof String text) {
                scopes.addAll(List.of(text.trim().split("\\s+")));
            }
            if (claims.getClaim("scp") instanceof List<?> list) {
                list.forEach(item -> scopes.add(String.valueOf(item)));
            }
            scopes.remove("");
            return scopes;
        }

        private static Optional<String> claim(JWTClaimsSet claims, String name) {
            Object value = claims.getClaim(name);
            return value instanceof String text && !text.isBlank() ? Optional.of(text) : Optional.empty();
        }
    }
}
