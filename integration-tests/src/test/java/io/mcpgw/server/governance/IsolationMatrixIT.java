package io.mcpgw.server.governance;

import static io.mcpgw.testkit.TestingConfig.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.testkit.RawMcp;
import io.mcpgw.testkit.TestingAuthorizationServer;
import io.mcpgw.testkit.TestingConfig;
import io.mcpgw.testkit.TestingGateway;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two tenants (acme may use demo, globex testing) by two endpoints and two agents (coder uses demo, tester
 * testing), once with API keys and once with JWTs: what each sees and can reach is exactly the intersection, and a
 * session opened by one principal is nobody else's.
 */
class IsolationMatrixIT {

    private static final String AUDIENCE = "https://mcp.example.test/mcp";
    private static final String TENANTS = """
            tenants:
              - id: acme
                backends: [demo]
              - id: globex
                backends: [testing]
            agents:
              - name: coder
                uses: [demo]
              - name: tester
                uses: [testing]
            """;

    @TempDir
    Path home;

    /** Which backends each (tenant, endpoint) shows. */
    private static final Map<String, List<String>> VISIBLE = Map.of(
            "acme /mcp", List.of("demo"), "acme /agents/coder/mcp", List.of("demo"), "acme /agents/tester/mcp", List.of(),
            "globex /mcp", List.of("testing"), "globex /agents/coder/mcp", List.of(), "globex /agents/tester/mcp", List.of("testing"));

    @ParameterizedTest
    @ValueSource(strings = {"api-key", "jwt"})
    void nothingLeaksBetweenTenantsAndAgents(String identity) throws Exception {
        try (TestingAuthorizationServer authorization = new TestingAuthorizationServer()) {
            String identitySection = identity.equals("api-key") ? """
                    identity:
                      type: api-key
                      keys:
                        - { sha256: "%s", tenant: acme, client: app }
                        - { sha256: "%s", tenant: globex, client: app }
                    """.formatted(sha256("acme"), sha256("globex")) : """
                    identity:
                      type: jwt
                      issuer: %s
                      audience: %s
                      jwksUrl: %s
                    """.formatted(TestingAuthorizationServer.ISSUER, AUDIENCE, authorization.jwksUri());
            Map<String, String> credentials = identity.equals("api-key") ? Map.of("acme", "acme", "globex", "globex")
                    : Map.of("acme", authorization.token(AUDIENCE, "acme", "app", claims -> { }),
                            "globex", authorization.token(AUDIENCE, "globex", "app", claims -> { }));
            try (TestingGateway gateway = TestingConfig.gateway().yaml(identitySection + TENANTS).demoAndTesting("hi").startReady(home)) {
                for (Map.Entry<String, List<String>> cell : VISIBLE.entrySet()) {
                    String tenant = cell.getKey().split(" ")[0];
                    String endpoint = cell.getKey().split(" ")[1];
                    RawMcp client = new RawMcp(gateway, credentials.get(tenant), endpoint).initialized();
                    checkCell(cell.getKey(), client, cell.getValue());

                    String other = tenant.equals("acme") ? "globex" : "acme";
                    RawMcp thief = client.as(credentials.get(other));
                    assertThat(thief.requestStatus("tools/list", "{}")).as(cell.getKey() + ": the session is not " + other + "'s").isEqualTo(404);
                }
            }
        }
    }

    private static void checkCell(String cell, RawMcp client, List<String> visible) {
        List<String> tools = new ArrayList<>();
        client.request("tools/list", "{}").path("result").path("tools").forEach(tool -> tools.add(tool.path("name").asText()));
        assertThat(tools).as(cell + " tools").allMatch(name -> visible.contains(name.substring(0, name.indexOf("__"))));
        assertThat(!tools.isEmpty()).as(cell + " shows something").isEqualTo(!visible.isEmpty());

        JsonNode demoCall = client.call("demo__add", "{\"a\":1,\"b\":2}");
        JsonNode testingCall = client.call("testing__echo", "{\"text\":\"x\"}");
        assertThat(demoCall.has("result")).as(cell + " demo__add").isEqualTo(visible.contains("demo"));
        assertThat(testingCall.has("result")).as(cell + " testing__echo").isEqualTo(visible.contains("testing"));
        for (JsonNode refused : List.of(demoCall, testingCall)) {
            if (refused.has("error")) {
                assertThat(refused.path("error").path("message").asText()).as(cell).startsWith("Unknown tool: ");
            }
        }

        assertThat(client.request("resources/read", "{\"uri\":\"demo://greeting\"}").has("result")).as(cell + " demo resource")
                .isEqualTo(visible.contains("demo"));
        assertThat(client.request("resources/read", "{\"uri\":\"test://doc/1\"}").has("result")).as(cell + " testing resource")
                .isEqualTo(visible.contains("testing"));
        List<String> prompts = new ArrayList<>();
        client.request("prompts/list", "{}").path("result").path("prompts").forEach(prompt -> prompts.add(prompt.path("name").asText()));
        assertThat(prompts).as(cell + " prompts").allMatch(name -> visible.contains(name.substring(0, name.indexOf("__"))));
    }
}
