package io.mcpgw.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    private static final String SOURCE = "conf/mcpgw.yaml";
    private static final Map<String, String> ENVIRONMENT = Map.of("PORT", "9443", "GREETING", "hi there");

    private final ConfigLoader loader = new ConfigLoader(ENVIRONMENT::get);

    private McpgwConfig parse(String yaml) {
        return loader.parse(yaml, SOURCE);
    }

    private void assertError(String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void emptyFileGivesDefaults() {
        McpgwConfig config = parse("");
        assertThat(config).isEqualTo(McpgwConfig.defaults());
        assertThat(config.server().host()).isEqualTo("127.0.0.1");
        assertThat(config.server().port()).isEqualTo(8080);
        assertThat(config.server().shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.server().dataDirectory()).isEqualTo("data");
        assertThat(config.server().allowedOrigins()).contains("http://localhost:*");
        assertThat(config.server().sessionIdleTimeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.server().sseReplayEvents()).isEqualTo(256);
        assertThat(config.server().maxRequestBytes()).isEqualTo(4 * 1024 * 1024);
        assertThat(config.server().stateless()).isFalse();
        assertThat(config.server().pageSize()).isEqualTo(100);
        assertThat(config.plugins().directory()).isEqualTo("plugins");
        assertThat(config.plugins().disabled()).isEmpty();
        assertThat(config.backends()).isEmpty();
        assertThat(config.identity()).isEmpty();
        assertThat(config.policy()).isEmpty();
    }

    @Test
    void fullConfigMapsEveryKeyAndRoundTrips() {
        String yaml = """
                server:
                  host: 0.0.0.0
                  port: ${PORT}
                  allowedOrigins: ["https://app.example.com"]
                  shutdownTimeout: 90s
                  dataDirectory: /var/lib/mcpgw
                  sessionIdleTimeout: 1h
                  sseReplayEvents: 10
                  maxRequestBytes: 65536
                  stateless: true
                  pageSize: 20
                  clientRequestTimeout: 45s
                  ioThreads: 3
                plugins:
                  directory: /opt/mcpgw/plugins
                  disabled: [broken-one]
                backends:
                  - id: demo
                    transport: stdio
                    startupTimeout: 5s
                    requestTimeout: 2m
                    command: ["bin/mcpgw-demo-backend", "--verbose"]
                    env: { DEMO_GREETING: "${GREETING}" }
                  - id: search
                    transport: http
                    url: http://127.0.0.1:3001/mcp
                identity:
                  type: api-key
                  keys: [{ sha256: abc, tenant: acme, client: ci-bot }]
                policy:
                  - type: opa
                    url: http://127.0.0.1:8181
                credentials:
                  - type: env
                audit:
                  - type: file
                    path: logs/audit.ndjson
                """;
        McpgwConfig config = parse(yaml);

        assertThat(config.server()).isEqualTo(new ServerConfig("0.0.0.0", 9443, List.of("https://app.example.com"),
                Duration.ofSeconds(90), "/var/lib/mcpgw", Duration.ofHours(1), 10, 65536, true, 20, Duration.ofSeconds(45), 3,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null));
        assertThat(config.plugins()).isEqualTo(new PluginsConfig("/opt/mcpgw/plugins", List.of("broken-one")));
        BackendConfig demo = config.backends().get(0);
        assertThat(demo.id()).isEqualTo("demo");
        assertThat(demo.startupTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(demo.requestTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(demo.transport().type()).isEqualTo("stdio");
        assertThat(demo.transport().path()).isEqualTo("backends[0]");
        assertThat(demo.transport().settings().toString())
                .isEqualTo("{\"command\":[\"bin/mcpgw-demo-backend\",\"--verbose\"],\"env\":{\"DEMO_GREETING\":\"hi there\"}}");
        BackendConfig search = config.backends().get(1);
        assertThat(search.startupTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(search.requestTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(search.transport().settings().toString()).isEqualTo("{\"url\":\"http://127.0.0.1:3001/mcp\"}");
        assertThat(config.identity()).map(ExtensionSection::type).contains("api-key");
        assertThat(config.identity()).map(ExtensionSection::path).contains("identity");
        assertThat(config.policy()).extracting(ExtensionSection::type, ExtensionSection::path)
                .containsExactly(tuple("opa", "policy[0]"));
        assertThat(config.credentials()).extracting(ExtensionSection::type).containsExactly("env");
        assertThat(config.audit().getFirst().settings().get("path").asText()).isEqualTo("logs/audit.ndjson");

        assertThat(parse(ConfigLoader.toYaml(config))).isEqualTo(config);
    }

    @Test
    void environmentVariablesWithDefaultsAndEscapes() {
        McpgwConfig config = parse("""
                server:
                  host: ${UNSET_HOST:-127.0.0.2}
                  port: ${PORT:-1}
                  dataDirectory: "$${NOT_A_VARIABLE}/x"
                """);
        assertThat(config.server().host()).isEqualTo("127.0.0.2");
        assertThat(config.server().port()).isEqualTo(9443);
        assertThat(config.server().dataDirectory()).isEqualTo("${NOT_A_VARIABLE}/x");
    }

    @Test
    void missingEnvironmentVariableNamesTheKey() {
        assertError("""
                backends:
                  - id: demo
                    transport: stdio
                    env: { TOKEN: "${API_TOKEN}" }
                """,
                "conf/mcpgw.yaml: backends[0].env.TOKEN: environment variable API_TOKEN is not set "
                        + "(write ${API_TOKEN:-default} to give a default)");
    }

    @Test
    void unknownKeySuggestsTheClosest() {
        assertError("""
                server:
                  prot: 8080
                """, "conf/mcpgw.yaml: server.prot: unknown key 'prot'; did you mean 'port'?");
        assertError("""
                servre:
                  port: 8080
                """, "conf/mcpgw.yaml: servre: unknown key 'servre'; did you mean 'server'?");
    }

    @Test
    void stateKeysAreThirtyTwoBytesOfBase64() {
        String key = Base64.getEncoder().encodeToString(new byte[32]);
        assertThat(parse("server:\n  stateKeys: [\"" + key + "\"]\n").server().stateKeys()).containsExactly(key);
        assertThat(parse("").server().stateKeys()).isEmpty();
        assertThatThrownBy(() -> parse("server:\n  stateKeys: [\"" + key + "\", \"c2hvcnQ=\"]\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("stateKeys[1]: must be 32 bytes in base64").message().doesNotContain("c2hvcnQ");
    }

    @Test
    void unknownKeyWithoutCloseMatchListsKnownKeys() {
        assertError("""
                plugins:
                  zzzzzzzz: 1
                """, "conf/mcpgw.yaml: plugins.zzzzzzzz: unknown key 'zzzzzzzz'; known keys: directory, disabled");
    }

    @Test
    void wrongTypesNameTheKeyAndTheValue() {
        assertError("""
                server:
                  port: eighty
                """, "conf/mcpgw.yaml: server.port: expected a whole number, got 'eighty'");
        assertError("""
                server:
                  port: 80.5
                """, "conf/mcpgw.yaml: server.port: expected a whole number, got '80.5'");
        assertError("""
                server:
                  port: [1]
                """, "conf/mcpgw.yaml: server.port: expected a whole number, got a list");
        assertError("""
                plugins:
                  disabled: x
                """, "conf/mcpgw.yaml: plugins.disabled: expected a list, got 'x'");
    }

    @Test
    void badDurationsNameTheKey() {
        assertError("""
                backends:
                  - id: a
                    transport: stdio
                  - id: b
                    transport: stdio
                  - id: c
                    transport: stdio
                    startupTimeout: soon
                """, "conf/mcpgw.yaml: backends[2].startupTimeout: expected " + Durations.EXPECTED + ", got 'soon'");
    }

    @Test
    void tenantGrantsTellAnAbsentListFromAnEmptyOne() {
        McpgwConfig config = parse("""
                tenants:
                  - id: everything
                  - id: nothing
                    backends: []
                    tools: { allow: [] }
                  - id: some
                    backends: [demo]
                    tools: { deny: ["*__delete"] }
                """);
        assertThat(config.tenants()).extracting(TenantConfig::backendPatterns)
                .containsExactly(Optional.empty(), Optional.of(List.of()), Optional.of(List.of("demo")));
        assertThat(config.tenants()).extracting(tenant -> tenant.tools().allowPatterns())
                .containsExactly(Optional.empty(), Optional.of(List.of()), Optional.empty());
        assertThat(parse(ConfigLoader.toYaml(config))).as("the difference survives a round trip").isEqualTo(config);
    }

    @Test
    void isolationDefaultsByTransportAndIsValidated() {
        McpgwConfig config = parse("""
                backends:
                  - { id: local, transport: stdio, command: [x] }
                  - { id: remote, transport: http, url: "http://127.0.0.1:1/mcp" }
                  - { id: legacy, transport: sse, url: "http://127.0.0.1:1/sse" }
                  - { id: stateless, transport: http, url: "http://127.0.0.1:1/mcp", isolation: shared }
                """);
        assertThat(config.backends()).extracting(BackendConfig::isolation)
                .containsExactly(Isolation.TENANT, Isolation.SESSION, Isolation.SESSION, Isolation.SHARED);
        assertThat(config.backends().getFirst().transport().settings().has("isolation")).isFalse();
        assertThat(parse(ConfigLoader.toYaml(config))).isEqualTo(config);
        assertThatThrownBy(() -> parse("""
                backends:
                  - { id: local, transport: stdio, command: [x], isolation: process }
                """)).isInstanceOf(ConfigException.class).hasMessageStartingWith("conf/mcpgw.yaml: backends[0].isolation: ")
                .hasMessageContaining("process");
    }

    @Test
    void invalidValuesAreReportedAtTheirKey() {
        assertError("""
                server:
                  port: 70000
                """, "conf/mcpgw.yaml: server.port: 70000 is not a port (0 to 65535; 0 picks a free one)");
        assertError("""
                backends:
                  - id: Demo_1
                    transport: stdio
                """, "conf/mcpgw.yaml: backends[0].id: 'Demo_1' must match [a-z0-9][a-z0-9-]* (lower case, digits, '-')");
    }

    @Test
    void tlsSectionsAreStrictAndCheckedForTheirListener() {
        assertThat(parse("""
                server:
                  tls: { certificate: conf/tls/server.pem, privateKey: conf/tls/server.key, clientCa: conf/tls/clients.pem }
                """).server().listenerTls()).contains(new TlsConfig("conf/tls/server.pem", "conf/tls/server.key", "conf/tls/clients.pem", null));
        assertError("""
                server:
                  tls: { certificate: a.pem, privateKey: a.key, clientCA: c.pem }
                """, "conf/mcpgw.yaml: server.tls.clientCA: unknown key 'clientCA'; did you mean 'clientCa'?");
        assertError("""
                server:
                  tls: { certificate: a.pem }
                """, "conf/mcpgw.yaml: server.tls.privateKey: required value is missing (a certificate goes with its private key)");
        assertError("""
                server:
                  tls: { certificate: a.pem, privateKey: a.key, ca: c.pem }
                """, "conf/mcpgw.yaml: server.tls: 'ca' is for backends; a listener's clients are trusted with clientCa");
        assertError("""
                admin:
                  tokens: ["0123456789abcdef0123"]
                  tls: { certificate: a.pem, privateKey: a.key, clientCa: c.pem }
                """, "conf/mcpgw.yaml: admin.tls: 'clientCa' is not supported on this listener");
    }

    @Test
    void missingRequiredValuesNameTheKey() {
        assertError("""
                backends:
                  - transport: stdio
                """, "conf/mcpgw.yaml: backends[0].id: required value is missing");
        assertError("""
                backends:
                  - id: demo
                """, "conf/mcpgw.yaml: backends[0].transport: required value is missing (e.g. stdio, http or sse)");
        assertError("""
                policy:
                  - url: http://opa
                """, "conf/mcpgw.yaml: policy[0].type: required value is missing (the name of the extension to use)");
    }

    @Test
    void duplicateBackendIdsNameBothPlaces() {
        assertError("""
                backends:
                  - id: demo
                    transport: stdio
                  - id: demo
                    transport: http
                """, "conf/mcpgw.yaml: backends[1]: id 'demo' is already used by backends[0]");
    }

    @Test
    void yamlSyntaxErrorsGiveLineAndColumn() {
        assertThatThrownBy(() -> parse("server:\n  port: 1\n bad: [\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("conf/mcpgw.yaml:3:");
    }

    @Test
    void duplicateKeysAreRejected() {
        assertThatThrownBy(() -> parse("server:\n  port: 1\n  port: 2\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("port");
    }

    @Test
    void extensionSectionsBindStrictlyWithFullPaths() {
        McpgwConfig config = parse("""
                policy:
                  - type: hours
                    timezone: UTC
                    deny: [secret]
                  - type: hours
                    timezone: UTC
                    openAt: 9am
                """);
        record Hours(String timezone, List<String> deny, Duration openAt) {}
        assertThat(ConfigLoader.bind(config.policy().get(0), Hours.class))
                .isEqualTo(new Hours("UTC", List.of("secret"), null));
        assertThatThrownBy(() -> ConfigLoader.bind(config.policy().get(1), Hours.class))
                .hasMessage("conf/mcpgw.yaml: policy[1].openAt: expected " + Durations.EXPECTED + ", got '9am'");

        ExtensionSection typo = parse("""
                identity:
                  type: api-key
                  kyes: []
                """).identity().getFirst();
        record ApiKeys(List<String> keys) {}
        assertThatThrownBy(() -> ConfigLoader.bind(typo, ApiKeys.class))
                .hasMessage("conf/mcpgw.yaml: identity.kyes: unknown key 'kyes'; did you mean 'keys'?");
    }

    @Test
    void topLevelMustBeASection() {
        assertError("- a\n- b\n", "conf/mcpgw.yaml: expected a section (key: value lines) at the top level");
        assertThat(parse("# only a comment\n").identity()).isEmpty();
    }
}
