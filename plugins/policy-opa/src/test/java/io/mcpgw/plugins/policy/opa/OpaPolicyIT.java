package io.mcpgw.plugins.policy.opa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.server.demo.DemoBackend;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.testkit.JavaCommand;
import io.mcpgw.testkit.RawMcp;
import io.mcpgw.testkit.TestingGateway;
import io.mcpgw.testkit.TestingOpaServer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built plugin zip in a real gateway, asking a server that speaks OPA's Data API, or running a real OPA Wasm policy. */
class OpaPolicyIT {

    @TempDir
    Path home;

    private TestingGateway gateway(String policy, String more) throws Exception {
        TestingGateway.installBuiltPlugin(home);
        return TestingGateway.start(home, """
                policy:
                %s
                audit:
                  - type: file
                    path: %s
                backends:
                  - id: demo
                    transport: stdio
                    command: %s
                %s
                """.formatted(policy.indent(2).stripTrailing(), home.resolve("audit.ndjson"), JavaCommand.yaml(DemoBackend.class), more))
                .awaitReady(Duration.ofSeconds(60));
    }

    private List<JsonNode> decisions() throws Exception {
        List<JsonNode> decisions = new ArrayList<>();
        Thread.sleep(300);
        for (String line : Files.readAllLines(home.resolve("audit.ndjson"))) {
            JsonNode event = JsonRpc.MAPPER.readTree(line);
            if (event.path("type").asText().equals("policy_decision")) {
                decisions.add(event);
            }
        }
        return decisions;
    }

    @Test
    void theServersAnswerAllowsOrDeniesWithItsReasonAndTheDecisionIdIsAudited() throws Exception {
        try (TestingOpaServer opa = new TestingOpaServer()) {
            opa.rule("mcpgw/allow", input -> input.path("tool").asText().equals("demo__add")
                    ? JsonRpc.MAPPER.createObjectNode().put("allow", false).put("reason", "no sums on Sundays").put("code", "no-sums")
                    : JsonRpc.MAPPER.getNodeFactory().booleanNode(true));
            try (TestingGateway gateway = gateway("""
                    - type: opa
                      url: %s
                      path: mcpgw/allow
                    """.formatted(opa.uri()), "")) {
                RawMcp client = new RawMcp(gateway, null, "/mcp").initialized();
                assertThat(client.call("demo__echo", "{\"text\":\"hi\"}").has("result")).isTrue();
                JsonNode denied = client.call("demo__add", "{\"a\":1,\"b\":2}");
                assertThat(denied.path("error").path("code").asInt()).isEqualTo(-32007);
                assertThat(denied.path("error").path("message").asText()).isEqualTo("no sums on Sundays");
                assertThat(denied.path("error").path("data").path("code").asText()).isEqualTo("no-sums");

                JsonNode input = opa.inputs().getFirst();
                assertThat(input.path("tenant").asText()).isEqualTo("default");
                assertThat(input.path("client").asText()).isEqualTo("anonymous");
                assertThat(input.path("backend").asText()).isEqualTo("demo");
                assertThat(input.path("method").asText()).isEqualTo("tools/call");
                assertThat(input.path("target").asText()).isEqualTo("echo");
                assertThat(input.path("tool").asText()).isEqualTo("demo__echo");
                assertThat(input.path("arguments").path("text").asText()).isEqualTo("hi");
                assertThat(input.path("counters").path("sessionCalls").asLong()).isZero();

                List<JsonNode> decisions = decisions();
                assertThat(decisions).hasSize(2).allSatisfy(decision ->
                        assertThat(decision.path("metadata").path("opa.decisionId").asText()).hasSize(36));
                assertThat(decisions.get(1).path("outcome").asText()).isEqualTo("deny");
                assertThat(decisions.get(1).path("metadata").path("rule").asText()).isEqualTo("no-sums");
            }
        }
    }

    @Test
    void anUndefinedDocumentASlowServerAndADeadOneDenyUnlessFailOpen() throws Exception {
        TestingOpaServer opa = new TestingOpaServer();
        opa.rule("mcpgw/allow", input -> JsonRpc.MAPPER.getNodeFactory().booleanNode(true));
        try (TestingGateway gateway = gateway("""
                - type: opa
                  url: %1$s
                  path: mcpgw/allow
                  timeout: 300ms
                - type: opa
                  url: %1$s
                  path: mcpgw/nothing-here
                  failOpen: true
                """.formatted(opa.uri()), "")) {
            RawMcp client = new RawMcp(gateway, null, "/mcp").initialized();
            JsonNode undefined = client.call("demo__echo", "{\"text\":\"x\"}");
            assertThat(undefined.path("error").path("code").asInt()).as("an undefined decision is no allow").isEqualTo(-32007);
            assertThat(undefined.path("error").path("message").asText()).isEqualTo("the policy has no decision for this invocation");

            opa.delay(1000);
            JsonNode slow = client.call("demo__echo", "{\"text\":\"x\"}");
            assertThat(slow.path("error").path("data").path("code").asText()).isEqualTo("opa-unavailable");
            opa.delay(0);

            opa.close();
            JsonNode dead = client.call("demo__echo", "{\"text\":\"x\"}");
            assertThat(dead.path("error").path("data").path("code").asText()).as("fail closed by default").isEqualTo("opa-unavailable");
        }
        try (TestingGateway open = gatewayWithoutAudit("""
                - type: opa
                  url: http://127.0.0.1:9/
                  path: mcpgw/allow
                  failOpen: true
                """)) {
            assertThat(new RawMcp(open, null, "/mcp").initialized().call("demo__echo", "{\"text\":\"x\"}").has("result"))
                    .as("failOpen lets calls through while OPA is away").isTrue();
        }
    }

    @Test
    void aCacheReusesDecisionsForTheSameInput() throws Exception {
        try (TestingOpaServer opa = new TestingOpaServer()) {
            opa.rule("mcpgw/allow", input -> JsonRpc.MAPPER.getNodeFactory().booleanNode(true));
            try (TestingGateway gateway = gateway("""
                    - type: opa
                      url: %s
                      path: mcpgw/allow
                      cacheFor: 1m
                      counters: false
                    """.formatted(opa.uri()), "")) {
                RawMcp client = new RawMcp(gateway, null, "/mcp").initialized();
                for (int i = 0; i < 3; i++) {
                    assertThat(client.call("demo__echo", "{\"text\":\"same\"}").has("result")).isTrue();
                }
                client.call("demo__echo", "{\"text\":\"other\"}");
                assertThat(opa.inputs()).hasSize(2);
                assertThat(opa.inputs().getFirst().has("counters")).isFalse();
            }
        }
    }

    @Test
    void aRealOpaWasmPolicyDecidesInProcess() throws Exception {
        Path wasm = home.resolve("demo-policy.wasm");
        try (InputStream policy = com.styra.opa.wasm.OpaPolicy.class.getResourceAsStream("/demo-policy.wasm")) {
            Files.write(wasm, policy.readAllBytes());
        }
        String identity = """
                identity:
                  type: api-key
                  keys:
                    - { sha256: "%s", tenant: default, client: ci-bot }
                    - { sha256: "%s", tenant: default, client: intern }
                """.formatted(sha256("bot-key-0123456789"), sha256("intern-key-0123456789"));
        // demo-policy.wasm (shipped with opa-java-wasm) allows when data.role[input.user] == "admin"
        try (TestingGateway gateway = gateway("""
                - type: opa
                  wasm: %s
                  data: { role: { ci-bot: admin, intern: reader } }
                  inputAliases: { user: client }
                """.formatted(wasm), identity)) {
            assertThat(new RawMcp(gateway, "bot-key-0123456789", "/mcp").initialized().call("demo__echo", "{\"text\":\"x\"}").has("result"))
                    .isTrue();
            JsonNode denied = new RawMcp(gateway, "intern-key-0123456789", "/mcp").initialized().call("demo__echo", "{\"text\":\"x\"}");
            assertThat(denied.path("error").path("code").asInt()).isEqualTo(-32007);
            assertThat(denied.path("error").path("data").path("code").asText()).isEqualTo("opa-deny");
        }
    }

    @Test
    void aBadSectionStopsStartUp() throws Exception {
        assertThatThrownBy(() -> gateway("""
                - type: opa
                  url: http://127.0.0.1:8181
                """, "")).hasMessageContaining("policy[0].path: required with url");
    }

    private TestingGateway gatewayWithoutAudit(String policy) throws Exception {
        Path other = home.resolve("second");
        TestingGateway.installBuiltPlugin(other);
        return TestingGateway.start(other, """
                policy:
                %s
                backends:
                  - id: demo
                    transport: stdio
                    command: %s
                """.formatted(policy.indent(2).stripTrailing(), JavaCommand.yaml(DemoBackend.class))).awaitReady(Duration.ofSeconds(60));
    }

    private static String sha256(String key) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    }
}
