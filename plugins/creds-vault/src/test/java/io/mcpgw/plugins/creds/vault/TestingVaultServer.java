package io.mcpgw.plugins.creds.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.mcpgw.testkit.JsonExchanges;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * Vault's HTTP API for the endpoints the plugin uses, as Vault documents them: KV v2 ({@code GET
 * /v1/<mount>/data/<path>}, {@code {"data": {"data": ..., "metadata": ...}}}) and v1 ({@code GET /v1/<mount>/<path>},
 * {@code {"data": ..., "lease_duration": n}}), {@code POST /v1/auth/<approle|kubernetes>/login}, {@code POST
 * /v1/auth/token/renew-self}; {@code X-Vault-Token} and {@code X-Vault-Namespace}; 403 {@code permission denied}
 * for a missing, unknown or revoked token, 404 {@code {"errors": []}} for a missing secret, 503 {@code Vault is
 * sealed} while sealed, 400 for a bad login. Plain HTTP, or TLS with the given context.
 */
final class TestingVaultServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String namespace;
    private final Map<String, JsonNode> secrets = new ConcurrentHashMap<>();
    private final Map<String, Integer> kvVersions = new ConcurrentHashMap<>();
    private final Map<String, Long> tokens = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile boolean sealed;
    private volatile long loginTtlSeconds = 3600;
    private String roleId;
    private String secretId;
    private String kubernetesRole;
    private String kubernetesJwt;

    /** {@code tls} null for plain HTTP; {@code namespace} null when none is required. */
    TestingVaultServer(SSLContext tls, String namespace) throws IOException {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls == null) {
            server = HttpServer.create(loopback, 0);
        } else {
            HttpsServer https = HttpsServer.create(loopback, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        }
        this.namespace = namespace;
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/", this::handle);
        server.start();
    }

    URI uri() {
        return URI.create((server instanceof HttpsServer ? "https://localhost:" : "http://127.0.0.1:") + server.getAddress().getPort());
    }

    TestingVaultServer token(String token) {
        tokens.put(token, Long.MAX_VALUE);
        return this;
    }

    void revoke(String token) {
        tokens.remove(token);
    }

    void revokeAll() {
        tokens.clear();
    }

    TestingVaultServer approle(String role, String secret) {
        roleId = role;
        secretId = secret;
        return this;
    }

    TestingVaultServer kubernetes(String role, String jwt) {
        kubernetesRole = role;
        kubernetesJwt = jwt;
        return this;
    }

    void loginTtl(long seconds) {
        loginTtlSeconds = seconds;
    }

    /** A KV engine at {@code mount}, version 1 or 2. */
    TestingVaultServer engine(String mount, int version) {
        kvVersions.put(mount, version);
        return this;
    }

    /** A secret's fields; for KV v1 a {@code lease} (seconds) may be given, 0 for none. */
    TestingVaultServer secret(String mount, String path, Map<String, Object> fields) {
        secrets.put(mount + "/" + path, JSON.valueToTree(fields));
        return this;
    }

    void seal(boolean on) {
        sealed = on;
    }

    /** {@code METHOD /v1/...} of every request, oldest first. */
    List<String> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath().substring("/v1/".length());
            requests.add(exchange.getRequestMethod() + " /v1/" + path);
            if (sealed) {
                errors(exchange, 503, "Vault is sealed");
                return;
            }
            if (namespace != null && !namespace.equals(exchange.getRequestHeaders().getFirst("X-Vault-Namespace"))) {
                errors(exchange, 403, "permission denied");
                return;
            }
            if (exchange.getRequestMethod().equals("POST") && path.endsWith("/login")) {
                login(exchange, path, JSON.readTree(exchange.getRequestBody()));
                return;
            }
            String token = exchange.getRequestHeaders().getFirst("X-Vault-Token");
            Long expires = token == null ? null : tokens.get(token);
            if (expires == null || expires < System.currentTimeMillis()) {
                errors(exchange, 403, "permission denied");
                return;
            }
            if (exchange.getRequestMethod().equals("POST") && path.equals("auth/token/renew-self")) {
                tokens.put(token, System.currentTimeMillis() + loginTtlSeconds * 1000);
                JsonExchanges.send(exchange, 200, auth(token));
                return;
            }
            if (!exchange.getRequestMethod().equals("GET")) {
                errors(exchange, 405, "unsupported operation");
                return;
            }
            read(exchange, path);
        }
    }

    private void login(HttpExchange exchange, String path, JsonNode body) throws IOException {
        boolean valid = switch (path) {
            case "auth/approle/login" -> roleId != null && roleId.equals(body.path("role_id").asText())
                    && secretId.equals(body.path("secret_id").asText());
            case "auth/kubernetes/login" -> kubernetesRole != null && kubernetesRole.equals(body.path("role").asText())
                    && kubernetesJwt.equals(body.path("jwt").asText());
            default -> false;
        };
        if (!valid) {
            errors(exchange, 400, path.startsWith("auth/approle") ? "invalid role or secret ID" : "invalid login");
            return;
        }
        String token = "hvs." + UUID.randomUUID();
        tokens.put(token, System.currentTimeMillis() + loginTtlSeconds * 1000);
        JsonExchanges.send(exchange, 200, auth(token));
    }

    private ObjectNode auth(String token) {
        ObjectNode answer = JSON.createObjectNode();
        answer.putObject("auth").put("client_token", token).put("lease_duration", loginTtlSeconds).put("renewable", true)
                .putArray("policies").add("mcpgw");
        return answer;
    }

    private void read(HttpExchange exchange, String path) throws IOException {
        String mount = path.substring(0, Math.max(0, path.indexOf('/')));
        Integer version = kvVersions.get(mount);
        if (version == null) {
            errors(exchange, 403, "permission denied");
            return;
        }
        String rest = URLDecoder.decode(path.substring(mount.length() + 1), StandardCharsets.UTF_8);
        if (version == 2 && !rest.startsWith("data/")) {
            errors(exchange, 404);
            return;
        }
        JsonNode fields = secrets.get(mount + "/" + (version == 2 ? rest.substring("data/".length()) : rest));
        if (fields == null) {
            errors(exchange, 404);
            return;
        }
        ObjectNode answer = JSON.createObjectNode().put("request_id", UUID.randomUUID().toString()).put("renewable", false);
        if (version == 2) {
            answer.put("lease_duration", 0);
            ObjectNode data = answer.putObject("data");
            data.set("data", fields);
            data.putObject("metadata").put("version", 1).put("destroyed", false);
        } else {
            answer.put("lease_duration", fields.path("lease").asLong(0));
            ObjectNode data = ((ObjectNode) fields).deepCopy();
            data.remove("lease");
            answer.set("data", data);
        }
        JsonExchanges.send(exchange, 200, answer);
    }

    private static void errors(HttpExchange exchange, int status, String... messages) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        List.of(messages).forEach(body.putArray("errors")::add);
        JsonExchanges.send(exchange, status, body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
