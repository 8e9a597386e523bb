package io.mcpgw.testkit;

import io.mcpgw.server.telemetry.TelemetryExporters;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test's gateway configuration, built from the parts tests share (admin tokens, API keys, tenants, backends of the
 * test class path) plus YAML sections of its own, and written as the file a user writes. Each section comes from one
 * place: a test that sets backends here does not also write a {@code backends:} section.
 */
public final class TestingConfig {

    private static final Duration READY = Duration.ofSeconds(60);

    private final List<String> adminTokens = new ArrayList<>();
    private final List<String> apiKeys = new ArrayList<>();
    private final Map<String, List<String>> tenants = new LinkedHashMap<>();
    private final List<TestingBackendConfig> backends = new ArrayList<>();
    private final StringBuilder sections = new StringBuilder();
    private TelemetryExporters exporters = TelemetryExporters.NONE;

    private TestingConfig() {}

    public static TestingConfig gateway() {
        return new TestingConfig();
    }

    /** An {@code admin:} section accepting these tokens. */
    public TestingConfig admin(String... tokens) {
        adminTokens.addAll(List.of(tokens));
        return this;
    }

    /** The {@code api-key} identity, with {@code key} (kept as its SHA-256) naming this tenant and client. */
    public TestingConfig apiKey(String key, String tenant, String client) {
        apiKeys.add("{ sha256: \"" + sha256(key) + "\", tenant: " + tenant + ", client: " + client + " }");
        return this;
    }

    /** A tenant, with keys of its own as YAML lines under its entry (e.g. {@code "backends: []"}). */
    public TestingConfig tenant(String id, String... yaml) {
        List<String> lines = new ArrayList<>();
        for (String part : yaml) {
            lines.addAll(part.strip().lines().toList());
        }
        tenants.put(id, lines);
        return this;
    }

    public TestingConfig backend(TestingBackendConfig backend) {
        backends.add(backend);
        return this;
    }

    /** {@code demo} and {@code testing} with {@code isolation: shared}, the pair the governance and identity tests use. */
    public TestingConfig demoAndTesting(String greeting) {
        return backend(TestingBackendConfig.demo(greeting).shared()).backend(TestingBackendConfig.testing().shared());
    }

    /** Top-level YAML of the test's own (policy, agents, identity of another type, ...). */
    public TestingConfig yaml(String yaml) {
        sections.append(yaml.stripTrailing()).append('\n');
        return this;
    }

    /** Telemetry also goes to these exporters. */
    public TestingConfig exporters(TelemetryExporters exporters) {
        this.exporters = exporters;
        return this;
    }

    /** The configuration file's text. */
    public String text() {
        StringBuilder yaml = new StringBuilder();
        if (!adminTokens.isEmpty()) {
            yaml.append("admin:\n  tokens: [").append(String.join(", ", adminTokens.stream().map(token -> "\"" + token + "\"").toList()))
                    .append("]\n");
        }
        if (!apiKeys.isEmpty()) {
            yaml.append("identity:\n  type: api-key\n  keys:\n");
            apiKeys.forEach(key -> yaml.append("    - ").append(key).append('\n'));
        }
        if (!tenants.isEmpty()) {
            yaml.append("tenants:\n");
            tenants.forEach((id, lines) -> {
                yaml.append("  - id: ").append(id).append('\n');
                lines.forEach(line -> yaml.append("    ").append(line).append('\n'));
            });
        }
        if (!backends.isEmpty()) {
            yaml.append("backends:\n");
            backends.forEach(backend -> yaml.append(backend.yaml()));
        }
        return yaml.append(sections).toString();
    }

    /** The hex SHA-256 of a key, as a user puts it in {@code keys:} ({@code printf %s KEY | sha256sum}). */
    public static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts a gateway on this configuration with {@code home} as its install directory. */
    public TestingGateway start(Path home) {
        return TestingGateway.start(home, text(), exporters);
    }

    /** {@link #start}, then waits until every backend has been tried. */
    public TestingGateway startReady(Path home) throws InterruptedException {
        return start(home).awaitReady(READY);
    }
}
