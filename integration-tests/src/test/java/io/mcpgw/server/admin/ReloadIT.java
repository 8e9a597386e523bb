package io.mcpgw.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.server.demo.DemoBackend;
import io.mcpgw.testkit.AdminClient;
import io.mcpgw.testkit.JavaCommand;
import io.mcpgw.testkit.RawMcp;
import io.mcpgw.testkit.TestingGateway;
import io.mcpgw.testkit.TestingMcpBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reloading the configuration file of a running gateway: through the admin API and by watching the file. */
class ReloadIT {

    private static final String TOKEN = "admin-token-0123456789abcdef";

    @TempDir
    Path home;

    private static String config(String backends, String more) {
        return """
                admin:
                  tokens: ["%s"]
                backends:
                %s
                %s
                """.formatted(TOKEN, backends.indent(2).stripTrailing(), more);
    }

    private static String demo(String id, String greeting) {
        return """
                - id: %s
                  transport: stdio
                  command: %s
                  env: { DEMO_GREETING: "%s" }""".formatted(id, JavaCommand.yaml(DemoBackend.class), greeting);
    }

    private static String testing(String id) {
        return """
                - id: %s
                  transport: stdio
                  command: %s""".formatted(id, JavaCommand.yaml(TestingMcpBackend.class));
    }

    private static List<String> toolNames(RawMcp client) {
        return StreamSupport.stream(client.request("tools/list", "{}").path("result").path("tools").spliterator(), false)
                .map(tool -> tool.path("name").asText()).toList();
    }

    private static String greeting(TestingGateway gateway, String backend) {
        return new RawMcp(gateway, null, "/servers/" + backend + "/mcp").initialized()
                .request("resources/read", "{\"uri\":\"demo://greeting\"}").path("result").path("contents").path(0).path("text").asText();
    }

    @Test
    void aReloadAddsRedefinesAndRemovesBackendsAndAgentsAndABadFileChangesNothing() throws Exception {
        try (TestingGateway gateway = TestingGateway.start(home, config(demo("demo", "one") + "\n" + testing("old"), """
                agents:
                  - name: timer
                    uses: ["demo__time"]
                """)).awaitReady(Duration.ofSeconds(60))) {
            AdminClient admin = new AdminClient(gateway.adminUri(), TOKEN);
            RawMcp aggregate = new RawMcp(gateway, null, "/mcp").initialized();
            RawMcp onOld = new RawMcp(gateway, null, "/servers/old/mcp").initialized();
            RawMcp agent = new RawMcp(gateway, null, "/agents/timer/mcp").initialized();
            assertThat(admin.post("/admin/backends", """
                    {"id":"adhoc","transport":"stdio","command":%s}""".formatted(JavaCommand.json(TestingMcpBackend.class))).status())
                    .isEqualTo(201);
            assertThat(admin.get("/admin/status").json().path("config").path("matchesFile").asBoolean()).isFalse();

            Files.writeString(gateway.configFile(), config(demo("demo", "two") + "\n" + testing("fresh"), """
                    agents:
                      - name: timer
                        uses: ["demo__time", "demo__echo"]
                    server:
                      pageSize: 7
                    """));
            AdminClient.Answer reloaded = admin.post("/admin/reload");
            assertThat(reloaded.status()).as(reloaded.body()).isEqualTo(200);
            JsonNode report = reloaded.json();
            assertThat(report.path("backendsAdded").toString()).isEqualTo("[\"fresh\"]");
            assertThat(report.path("backendsRedefined").toString()).isEqualTo("[\"demo\"]");
            assertThat(report.path("backendsRemoved").toString()).contains("old", "adhoc");
            assertThat(report.path("agentsChanged").toString()).isEqualTo("[\"timer\"]");
            assertThat(report.path("restartRequired").toString()).isEqualTo("[\"server\"]");
            assertThat(report.path("by").asText()).isEqualTo("admin API (admin token #1)");

            assertThat(onOld.requestStatus("tools/list", "{}")).as("the removed backend's own sessions ended").isEqualTo(404);
            assertThat(agent.requestStatus("tools/list", "{}")).as("the changed agent's sessions ended").isEqualTo(404);
            RawMcp redefinedAgent = new RawMcp(gateway, null, "/agents/timer/mcp").initialized();
            await().atMost(Duration.ofSeconds(30)).until(() -> toolNames(redefinedAgent).equals(List.of("demo__echo", "demo__time")));
            await().atMost(Duration.ofSeconds(30)).until(() -> toolNames(aggregate).contains("fresh__echo"));
            assertThat(toolNames(aggregate)).as("the aggregate session lives on").noneMatch(name -> name.startsWith("old__") || name.startsWith("adhoc__"));
            await().atMost(Duration.ofSeconds(30)).until(() -> greeting(gateway, "demo").equals("two"));
            JsonNode status = admin.get("/admin/status").json().path("config");
            assertThat(status.path("matchesFile").asBoolean()).as(status.toString()).isTrue();
            assertThat(status.path("lastReload").path("backendsAdded").toString()).isEqualTo("[\"fresh\"]");

            Files.writeString(gateway.configFile(), config(demo("demo", "three") + "\n" + testing("fresh") + "\n" + testing("more"),
                    "unknownSection: true\n"));
            AdminClient.Answer refused = admin.post("/admin/reload");
            assertThat(refused.status()).isEqualTo(422);
            assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(refused.json().path("detail").asText()).contains("unknownSection").contains("nothing was changed");

            Files.writeString(gateway.configFile(), config(demo("demo", "three") + "\n" + testing("fresh") + """

                    - id: broken
                      transport: stdio
                    """, ""));
            AdminClient.Answer broken = admin.post("/admin/reload");
            assertThat(broken.status()).isEqualTo(422);
            assertThat(broken.json().path("detail").asText()).contains("backends[2].command");
            assertThat(greeting(gateway, "demo")).as("the bad files changed nothing").isEqualTo("two");
            assertThat(gateway.gateway().backends()).containsOnlyKeys("demo", "fresh");
            assertThat(admin.get("/admin/audit?limit=30").body()).contains("\"action\":\"reload\"").contains("\"outcome\":\"error\"");
        }
    }

    @Test
    void aChangedTenantEndsItsSessionsSoTheNewRulesHold() throws Exception {
        try (TestingGateway gateway = TestingGateway.start(home, config(demo("demo", "one"), "")).awaitReady(Duration.ofSeconds(60))) {
            RawMcp client = new RawMcp(gateway, null, "/mcp").initialized();
            assertThat(toolNames(client)).contains("demo__echo");
            Files.writeString(gateway.configFile(), config(demo("demo", "one"), """
                    tenants:
                      - id: default
                        tools: { deny: ["demo__echo"] }
                    """));
            ReloadReport report = gateway.gateway().reload("test");
            assertThat(report.tenantsChanged()).containsExactly("default");
            assertThat(report.sessionsEnded()).isEqualTo(1);
            assertThat(client.requestStatus("tools/list", "{}")).isEqualTo(404);
            RawMcp again = new RawMcp(gateway, null, "/mcp").initialized();
            assertThat(toolNames(again)).contains("demo__time").doesNotContain("demo__echo");
        }
    }

    @Test
    void aWatchedFileIsReloadedWhenItChanges() throws Exception {
        String watch = """
                reload:
                  watch: true
                  interval: 100ms
                """;
        try (TestingGateway gateway = TestingGateway.start(home, config(demo("demo", "one"), watch)).awaitReady(Duration.ofSeconds(60))) {
            RawMcp client = new RawMcp(gateway, null, "/mcp").initialized();
            Files.writeString(gateway.configFile(), config(demo("demo", "one") + "\n" + testing("watched"), watch));
            await().atMost(Duration.ofSeconds(30)).until(() -> toolNames(client).contains("watched__echo"));
            Files.writeString(gateway.configFile(), "backends: [ not yaml");
            Thread.sleep(500);
            assertThat(toolNames(client)).as("a bad write is refused and the gateway keeps serving").contains("watched__echo");
        }
    }

    @Test
    void aFileCaughtHalfWrittenIsNotAppliedBeforeItSettles() throws Exception {
        String watch = """
                reload:
                  watch: true
                  interval: 3s
                """;
        try (TestingGateway gateway = TestingGateway.start(home, config(demo("demo", "one"), watch)).awaitReady(Duration.ofSeconds(60))) {
            RawMcp client = new RawMcp(gateway, null, "/mcp").initialized();
            // Empty for half an interval: seen at most once, so never settled.
            Files.writeString(gateway.configFile(), "");
            Thread.sleep(1_500);
            assertThat(toolNames(client)).as("an empty file seen once is not yet a configuration without backends").contains("demo__echo");
            Files.writeString(gateway.configFile(), config(demo("demo", "one") + "\n" + testing("watched"), watch));
            await().atMost(Duration.ofSeconds(30)).until(() -> toolNames(client).contains("watched__echo"));
            assertThat(toolNames(client)).contains("demo__echo");
        }
    }
}
