package io.mcpgw.plugins.creds.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/**
 * The token the provider reads with. A configured token is used as it is; a login's token (AppRole, Kubernetes)
 * is renewed once two thirds of its lease have passed, and the login is done again when renewal fails or Vault
 * refuses the token.
 */
final class VaultLogin {

    private final VaultHttp http;
    private final VaultCredentialsFactory.Auth auth;
    private final Clock clock;
    private final System.Logger logger;
    private String token;
    private Instant renewAt = Instant.MAX;

    VaultLogin(VaultHttp http, VaultCredentialsFactory.Auth auth, Clock clock, System.Logger logger) {
        this.http = http;
        this.auth = auth;
        this.clock = clock;
        this.logger = logger;
        if (auth.method().equals("token")) {
            token = auth.token();
        }
    }

    /** Runs {@code request} with a current token; once more after a fresh login when Vault refuses the token. */
    <T> T withToken(Function<String, T> request) {
        String current = current();
        try {
            return request.apply(current);
        } catch (VaultHttp.PermissionDenied denied) {
            if (auth.method().equals("token")) {
                throw denied;
            }
            logger.log(System.Logger.Level.INFO, "Vault refused the login token; logging in again");
            synchronized (this) {
                if (current.equals(token)) {
                    login();
                }
            }
            return request.apply(current());
        }
    }

    private synchronized String current() {
        if (token == null) {
            login();
        } else if (!clock.instant().isBefore(renewAt)) {
            renew();
        }
        return token;
    }

    private void renew() {
        try {
            JsonNode answer = http.post("auth/token/renew-self", token, VaultHttp.JSON.createObjectNode())
                    .orElseThrow(() -> new IllegalStateException("auth/token/renew-self: not found"));
            accept(answer, "renewed");
        } catch (VaultHttp.PermissionDenied | IllegalStateException e) {
            logger.log(System.Logger.Level.INFO, "Vault did not renew the login token ({0}); logging in again", e.getMessage());
            login();
        }
    }

    private void login() {
        ObjectNode body = VaultHttp.JSON.createObjectNode();
        switch (auth.method()) {
            case "approle" -> body.put("role_id", auth.roleId()).put("secret_id", auth.secretId());
            case "kubernetes" -> body.put("role", auth.role()).put("jwt", serviceAccountToken());
            default -> throw new IllegalStateException("a token is configured: there is nothing to log in with");
        }
        JsonNode answer = http.post("auth/" + auth.mount() + "/login", null, body)
                .orElseThrow(() -> new IllegalStateException("auth/" + auth.mount() + "/login: no such auth mount"));
        accept(answer, "logged in (" + auth.method() + ")");
    }

    private void accept(JsonNode answer, String how) {
        JsonNode granted = answer.path("auth");
        if (!granted.path("client_token").isTextual()) {
            throw new IllegalStateException("Vault's answer holds no auth.client_token");
        }
        token = granted.path("client_token").textValue();
        long lease = granted.path("lease_duration").asLong(0);
        boolean renewable = granted.path("renewable").asBoolean(false);
        renewAt = lease <= 0 ? Instant.MAX
                : renewable ? clock.instant().plus(Duration.ofSeconds(lease).multipliedBy(2).dividedBy(3))
                : clock.instant().plus(Duration.ofSeconds(lease)).minusSeconds(Math.min(lease / 10, 30));
        logger.log(System.Logger.Level.INFO, "Vault {0}; token lease {1} s", how, lease);
    }

    private String serviceAccountToken() {
        try {
            return Files.readString(Path.of(auth.jwtFile())).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("jwtFile: cannot read the service account token " + auth.jwtFile() + ": " + e.getMessage(), e);
        }
    }
}
