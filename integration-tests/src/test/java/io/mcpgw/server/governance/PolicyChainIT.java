package io.mcpgw.server.governance;

import static io.mcpgw.testkit.TestingPluginJar.plugin;
import static io.mcpgw.testkit.TestingPluginJar.policyFactorySource;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.testkit.RawMcp;
import io.mcpgw.testkit.TestingConfig;
import io.mcpgw.testkit.TestingGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PolicyEvaluator plugins, loaded from {@code plugins/} as a user installs them, run in order after the built-in
 * checks: what they are told, and how their denials and throttles reach the client.
 */
class PolicyChainIT {

    @TempDir
    static Path home;

    private static TestingGateway gateway;

    @BeforeAll
    static void startGateway() throws Exception {
        plugin("policies").requires(">=0.1.0")
                .extension("com.example.policies.DenyTextFactory", policyFactorySource("com.example.policies.DenyTextFactory", "deny-text", """
                        public record Settings(String deny) {}
                        """, """
                        Settings settings = context.config().bind(Settings.class);
                        return input -> settings.deny().equals(input.arguments().get("text"))
                                ? new Decision.Deny("no-forbidden-text", input.tenant() + "/" + input.client() + " may not send "
                                        + settings.deny() + " to " + input.namespacedTarget() + " (" + input.backend() + ":"
                                        + input.target() + ", " + input.method() + ")")
                                : Decision.allow();
                        """))
                .extension("com.example.policies.ThrottleAfterFactory", policyFactorySource("com.example.policies.ThrottleAfterFactory",
                        "throttle-after", """
                        public record Settings(int calls) {}
                        """, """
                        Settings settings = context.config().bind(Settings.class);
                        return input -> input.counters().sessionCalls() >= settings.calls()
                                ? new Decision.Throttle("this session made " + input.counters().sessionCalls() + " calls already",
                                        java.time.Duration.ofSeconds(2))
                                : Decision.allow();
                        """))
                .writeJar(Files.createDirectories(home.resolve("plugins")));
        gateway = TestingConfig.gateway()
                .apiKey("acme", "acme", "ci-bot").tenant("acme")
                .demoAndTesting("hello")
                .yaml("""
                        policy:
                          - type: deny-text
                            deny: forbidden
                          - type: throttle-after
                            calls: 3
                        agents:
                          - name: strict
                            uses: [testing]
                            policy:
                              - type: deny-text
                                deny: tabs
                        """)
                .startReady(home);
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    @Test
    void theChainRunsInOrderAndTheClientSeesDenialsAndThrottlesApart() {
        RawMcp client = new RawMcp(gateway, "acme", "/mcp").initialized();

        JsonNode denied = client.call("testing__echo", "{\"text\":\"forbidden\"}").path("error");
        assertThat(denied.path("code").asInt()).isEqualTo(-32007);
        assertThat(denied.path("message").asText())
                .isEqualTo("acme/ci-bot may not send forbidden to testing__echo (testing:echo, tools/call)");
        assertThat(denied.path("data").path("code").asText()).isEqualTo("no-forbidden-text");

        assertThat(client.call("testing__echo", "{\"text\":\"fine\"}").has("result")).isTrue();
        assertThat(client.call("testing__echo", "{\"text\":\"fine\"}").has("result")).isTrue();

        JsonNode throttled = client.call("testing__echo", "{\"text\":\"fine\"}").path("error");
        assertThat(throttled.path("code").asInt()).isEqualTo(-32009);
        assertThat(throttled.path("message").asText()).isEqualTo("this session made 3 calls already");
        assertThat(throttled.path("data").path("retryAfterMillis").asLong()).isEqualTo(2000);

        assertThat(client.call("testing__echo", "{\"text\":\"forbidden\"}").path("error").path("code").asInt())
                .as("the first policy decides before the second").isEqualTo(-32007);
        assertThat(new RawMcp(gateway, "acme", "/mcp").initialized().call("testing__echo", "{\"text\":\"fine\"}").has("result"))
                .as("counters are per session").isTrue();
    }

    @Test
    void anAgentsOwnPoliciesApplyToItsSessionsOnly() {
        RawMcp strict = new RawMcp(gateway, "acme", "/agents/strict/mcp").initialized();
        JsonNode denied = strict.call("testing__echo", "{\"text\":\"tabs\"}").path("error");
        assertThat(denied.path("data").path("code").asText()).isEqualTo("no-forbidden-text");
        assertThat(denied.path("message").asText()).isEqualTo("acme/ci-bot may not send tabs to testing__echo (testing:echo, tools/call)");
        assertThat(strict.call("testing__echo", "{\"text\":\"forbidden\"}").path("error").path("code").asInt())
                .as("the gateway-wide policies still come first").isEqualTo(-32007);
        assertThat(new RawMcp(gateway, "acme", "/mcp").initialized().call("testing__echo", "{\"text\":\"tabs\"}").has("result"))
                .as("outside the agent").isTrue();
    }
}
