package io.mcpgw.server.admin;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.config.AdminConfig;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.http.HttpProblem;
import io.mcpgw.server.ingress.FailedAuthentications;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;

/** The admin API's token filter: every request carries one of the configured bearer tokens (compared as digests). */
@Singleton
final class AdminTokens {

    private final List<byte[]> tokenDigests;
    private final FailedAuthentications failures;

    @Inject
    AdminTokens(McpgwConfig config, FailedAuthentications failures) {
        this.failures = failures;
        this.tokenDigests = config.admin().map(AdminConfig::tokens).orElse(List.of()).stream().map(AdminTokens::digest).toList();
    }

    /** Which token the request carries ({@code admin token #n}); 401 without a valid one. */
    String authenticate(HttpServerExchange exchange) {
        String remote = exchange.getSourceAddress() instanceof InetSocketAddress address ? address.getHostString() : "";
        failures.throttled(remote).ifPresent(seconds -> {
            throw new HttpProblem(ErrorCode.THROTTLED, "too many failed authentications from this address; try again later",
                    Map.of("Retry-After", Long.toString(seconds)));
        });
        String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            byte[] presented = digest(header.substring(7).trim());
            for (int i = 0; i < tokenDigests.size(); i++) {
                if (MessageDigest.isEqual(presented, tokenDigests.get(i))) {
                    return "admin token #" + (i + 1);
                }
            }
        }
        failures.failed(remote, "admin", header == null ? "no admin token" : "the admin token is not valid");
        throw new HttpProblem(ErrorCode.UNAUTHENTICATED, "an admin token is required (Authorization: Bearer <token>)",
                Map.of("WWW-Authenticate", "Bearer realm=\"mcpgw-admin\""));
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
