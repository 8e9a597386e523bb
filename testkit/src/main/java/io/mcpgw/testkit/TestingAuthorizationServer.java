package io.mcpgw.testkit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The part of an OAuth authorization server a resource server talks to: a JWKS endpoint on 127.0.0.1 serving the
 * public half of its signing keys, and the tokens it would issue, signed RS256. Keys can be rotated mid-test.
 */
public final class TestingAuthorizationServer implements AutoCloseable {

    public static final String ISSUER = "https://auth.example.test";

    private final HttpServer server;
    private final AtomicReference<JWKSet> published = new AtomicReference<>();
    private volatile RSAKey signingKey;

    public TestingAuthorizationServer() throws IOException, JOSEException {
        signingKey = new RSAKeyGenerator(2048).keyID("first").generate();
        published.set(new JWKSet(signingKey.toPublicJWK()));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jwks", exchange -> {
            byte[] body = published.get().toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    public URI jwksUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks");
    }

    public RSAKey signingKey() {
        return signingKey;
    }

    /** Publishes a new key beside the old one and signs with it from now on. */
    public RSAKey rotate(String keyId) throws JOSEException {
        RSAKey next = new RSAKeyGenerator(2048).keyID(keyId).generate();
        published.set(new JWKSet(List.of(signingKey.toPublicJWK(), next.toPublicJWK())));
        signingKey = next;
        return next;
    }

    /** A token for {@code audience} naming the tenant and client, valid five minutes; {@code change} may alter any claim. */
    public String token(String audience, String tenant, String client, Consumer<JWTClaimsSet.Builder> change) throws JOSEException {
        return token(signingKey, audience, tenant, client, change);
    }

    /** As {@link #token}, signed with {@code key} (which need not be published). */
    public static String token(RSAKey key, String audience, String tenant, String client, Consumer<JWTClaimsSet.Builder> change)
            throws JOSEException {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience(audience).subject("user-of-" + client)
                .claim("tenant", tenant).claim("client_id", client).claim("scope", "mcp:tools profile")
                .expirationTime(Date.from(Instant.now().plusSeconds(300)));
        change.accept(claims);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims.build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
