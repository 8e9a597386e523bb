package io.mcpgw.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.testkit.TestingAuthorizationServer;
import io.mcpgw.testkit.TestingConfig;
import io.mcpgw.testkit.TestingGateway;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code identity: jwt} with real signed tokens and a JWKS served over HTTP on 127.0.0.1, as an authorization
 * server would: every way a token can be wrong, scopes, key rotation, and the protected resource metadata.
 */
class JwtIdentityIT {

    private static final String AUDIENCE = "https://mcp.example.test/mcp";
    private static final String INITIALIZE = """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},
             "clientInfo":{"name":"raw","version":"1"}}}""";

    @TempDir
    static Path home;

    private static TestingGateway gateway;
    private static TestingAuthorizationServer authorizationServer;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        authorizationServer = new TestingAuthorizationServer();
        gateway = TestingConfig.gateway()
                .yaml("""
                        identity:
                          type: jwt
                          issuer: %s
                          audience: %s
                          jwksUrl: %s
                          requiredScopes: [mcp:tools]
                        """.formatted(TestingAuthorizationServer.ISSUER, AUDIENCE, authorizationServer.jwksUri()))
                .tenant("acme")
                .demoAndTesting("hello")
                .startReady(home);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        authorizationServer.close();
    }

    private static String token(Consumer<JWTClaimsSet.Builder> change) throws Exception {
        return authorizationServer.token(AUDIENCE, "acme", "desktop", change);
    }

    private HttpResponse<String> initialize(String token) throws Exception {
        return http.send(HttpRequest.newBuilder(gateway.baseUri().resolve("/mcp")).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(INITIALIZE)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String challenge(HttpResponse<String> response) {
        return response.headers().firstValue("WWW-Authenticate").orElse("");
    }

    @Test
    void aGoodTokenOpensASession() throws Exception {
        assertThat(initialize(token(claims -> { })).statusCode()).isEqualTo(200);
    }

    @Test
    void everyWayATokenCanBeWrongIs401NamingTheMetadata() throws Exception {
        String metadata = "resource_metadata=\"https://mcp.example.test/.well-known/oauth-protected-resource/mcp\"";
        for (Consumer<JWTClaimsSet.Builder> wrong : List.<Consumer<JWTClaimsSet.Builder>>of(
                claims -> claims.audience("https://other.example.test/mcp"),
                claims -> claims.issuer("https://evil.example.test"),
                claims -> claims.expirationTime(Date.from(Instant.now().minusSeconds(600))))) {
            HttpResponse<String> refused = initialize(token(wrong));
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(challenge(refused)).contains(metadata).contains("error=\"invalid_token\"");
        }
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("first").generate();
        assertThat(initialize(TestingAuthorizationServer.token(stranger, AUDIENCE, "acme", "desktop", claims -> { })).statusCode())
                .as("signed by a key the issuer never published").isEqualTo(401);
        assertThat(initialize("not.a.jwt").statusCode()).isEqualTo(401);

        HttpResponse<String> none = http.send(HttpRequest.newBuilder(gateway.baseUri().resolve("/mcp")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(INITIALIZE)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(challenge(none)).contains(metadata).doesNotContain("error=");
    }

    @Test
    void aRefusedTokenIsToldWhyInTheGatewaysWordsNotTheLibrarys() throws Exception {
        String garbage = "eyJ" + "x".repeat(500) + ".payload.signature";
        for (String token : List.of(garbage, "not.a.jwt", token(claims -> claims.expirationTime(Date.from(Instant.now().minusSeconds(600)))))) {
            String message = JsonRpc.MAPPER.readTree(initialize(token).body()).path("error").path("message").asText();
            assertThat(message).startsWith("the bearer token").hasSizeLessThan(160).doesNotContain("xxxxx", "JWT serialization",
                    "Invalid", "Expired JWT", "Exception");
        }
    }

    @Test
    void aMissingScopeIs403InsufficientScope() throws Exception {
        HttpResponse<String> refused = initialize(token(claims -> claims.claim("scope", "profile")));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(challenge(refused)).contains("error=\"insufficient_scope\"").contains("scope=\"mcp:tools\"");
        JsonNode body = JsonRpc.MAPPER.readTree(refused.body());
        assertThat(body.path("error").path("code").asInt()).isEqualTo(-32006);
    }

    @Test
    void aRotatedKeyIsFetchedWhenATokenNamesIt() throws Exception {
        assertThat(initialize(token(claims -> { })).statusCode()).isEqualTo(200);
        authorizationServer.rotate("second");
        assertThat(initialize(token(claims -> { })).statusCode()).isEqualTo(200);
    }

    @Test
    void theProtectedResourceMetadataIsPublished() throws Exception {
        for (String path : List.of("/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp")) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(gateway.baseUri().resolve(path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode metadata = JsonRpc.MAPPER.readTree(response.body());
            assertThat(metadata.path("resource").asText()).isEqualTo(AUDIENCE);
            assertThat(metadata.path("authorization_servers").get(0).asText()).isEqualTo(TestingAuthorizationServer.ISSUER);
            assertThat(metadata.path("scopes_supported").get(0).asText()).isEqualTo("mcp:tools");
        }
    }
}
