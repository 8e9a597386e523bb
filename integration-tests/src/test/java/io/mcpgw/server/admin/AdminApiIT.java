package io.mcpgw.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.server.demo.DemoBackend;
import io.mcpgw.testkit.AdminClient;
import io.mcpgw.testkit.JavaCommand;
import io.mcpgw.testkit.RawMcp;
import io.mcpgw.testkit.TestingBackendConfig;
import io.mcpgw.testkit.TestingConfig;
import io.mcpgw.testkit.TestingGateway;
import io.mcpgw.testkit.TestingMcpBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every admin route against a real gateway with real stdio backends, as an operator (and an intruder) would use it. */
class AdminApiIT {

    private static final String TOKEN = "admin-token-0123456789abcdef";

    @TempDir
    static Path home;

    private static TestingGateway gateway;
    private static AdminClient admin;

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = TestingConfig.gateway()
                .admin(TOKEN, "second-admin-token-9876543210")
                .backend(TestingBackendConfig.demo("hello-from-the-file"))
                .backend(TestingBackendConfig.testing().with("pinning: enforce"))
                .backend(TestingBackendConfig.stdio("flaky", TestingMcpBackend.class)
                        .with("requestTimeout: 300ms").with("circuitBreaker: { failures: 2, openFor: 10m }").shared())
                .startReady(home);
        admin = new AdminClient(gateway.adminUri(), TOKEN);
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    private static List<String> toolNames(RawMcp client) {
        return StreamSupport.stream(client.request("tools/list", "{}").path("result").path("tools").spliterator(), false)
                .map(tool -> tool.path("name").asText()).toList();
    }

    /** The demo backend's greeting (its DEMO_GREETING), read at the backend's own endpoint. */
    private static String greeting(String backend) {
        return new RawMcp(gateway, null, "/servers/" + backend + "/mcp").initialized()
                .request("resources/read", "{\"uri\":\"demo://greeting\"}").path("result").path("contents").path(0).path("text").asText();
    }

    @Test
    void everyRouteNeedsAValidTokenAndRefusalsAreProblems() {
        for (AdminClient intruder : List.of(new AdminClient(gateway.adminUri(), null), new AdminClient(gateway.adminUri(), "wrong-token-0123456789"))) {
            for (AdminClient.Answer refused : List.of(intruder.get("/admin/status"), intruder.get("/metrics"), intruder.post("/admin/reload"),
                    intruder.delete("/admin/backends/demo"), intruder.get("/admin/nowhere"))) {
                assertThat(refused.status()).isEqualTo(401);
                assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
                assertThat(refused.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"mcpgw-admin\"");
                assertThat(refused.json().path("title").asText()).isEqualTo("Unauthorized");
            }
        }
        assertThat(gateway.gateway().backends()).containsKey("demo");
        assertThat(new AdminClient(gateway.adminUri(), "second-admin-token-9876543210").get("/admin/status").status()).isEqualTo(200);

        AdminClient.Answer unknown = admin.get("/admin/nowhere");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("status").asInt()).isEqualTo(404);
        AdminClient.Answer wrongMethod = admin.post("/admin/status");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.header("Allow")).isEqualTo("GET");
        assertThat(admin.get("/admin/backends/nope").status()).isEqualTo(404);
        assertThat(admin.post("/admin/backends/demo/explode").status()).isEqualTo(404);
        AdminClient.Answer noCluster = admin.get("/admin/cluster");
        assertThat(noCluster.status()).isEqualTo(404);
        assertThat(noCluster.json().path("detail").asText()).isEqualTo("this gateway is not in a cluster (no cluster: section)");
    }

    @Test
    void statusAndBackendsDescribeTheGatewayWithoutSecrets() {
        JsonNode status = admin.get("/admin/status").json();
        assertThat(status.path("version").asText()).isNotEmpty();
        assertThat(status.path("backends").path("up").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(status.path("config").path("source").asText()).isEqualTo(gateway.configFile().toString());
        assertThat(status.path("cluster").isNull()).as("not in a cluster").isTrue();

        JsonNode backends = admin.get("/admin/backends").json();
        assertThat(StreamSupport.stream(backends.spliterator(), false).map(backend -> backend.path("id").asText()))
                .contains("demo", "testing", "flaky");
        JsonNode demo = admin.get("/admin/backends/demo").json();
        assertThat(demo.path("state").asText()).isEqualTo("up");
        assertThat(demo.path("circuit").asText()).isEqualTo("closed");
        assertThat(demo.path("offers").path("tools").asInt()).isGreaterThan(0);
        assertThat(demo.path("definition").path("transport").asText()).isEqualTo("stdio");
        assertThat(demo.path("definition").path("env").path("DEMO_GREETING").asText()).isEqualTo("<redacted>");
        assertThat(admin.get("/admin/backends").body()).doesNotContain("hello-from-the-file");
    }

    @Test
    void backendsAreAddedRedefinedAndRemovedAtRunTime() {
        RawMcp client = new RawMcp(gateway, null, "/mcp").initialized();
        assertThat(toolNames(client)).noneMatch(name -> name.startsWith("extra__"));

        AdminClient.Answer added = admin.post("/admin/backends", """
                {"id":"extra","transport":"stdio","command":%s,"env":{"DEMO_GREETING":"first"}}""".formatted(demoCommandJson()));
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        assertThat(added.header("Location")).isEqualTo("/admin/backends/extra");
        await().atMost(Duration.ofSeconds(30)).until(() -> admin.get("/admin/backends/extra").json().path("state").asText().equals("up"));
        assertThat(toolNames(client)).contains("extra__echo");
        assertThat(greeting("extra")).isEqualTo("first");
        assertThat(admin.get("/admin/status").json().path("config").path("differences").toString()).contains("backend 'extra' was added at run time");

        assertThat(admin.post("/admin/backends", """
                {"id":"extra","transport":"stdio","command":["true"]}""").status()).isEqualTo(409);
        AdminClient.Answer typo = admin.post("/admin/backends", """
                {"id":"other","transport":"stdio","comand":["true"]}""");
        assertThat(typo.status()).isEqualTo(400);
        assertThat(typo.json().path("detail").asText()).contains("comand");
        assertThat(admin.post("/admin/backends", "{\"id\":\"other\"}").status()).isEqualTo(400);

        RawMcp own = new RawMcp(gateway, null, "/servers/extra/mcp").initialized();
        AdminClient.Answer redefined = admin.put("/admin/backends/extra", """
                {"transport":"stdio","command":%s,"env":{"DEMO_GREETING":"second"}}""".formatted(demoCommandJson()));
        assertThat(redefined.status()).as(redefined.body()).isEqualTo(200);
        assertThat(own.requestStatus("tools/list", "{}")).as("a session on the redefined backend's own endpoint ended").isEqualTo(404);
        await().atMost(Duration.ofSeconds(30)).until(() -> greeting("extra").equals("second"));
        assertThat(admin.put("/admin/backends/extra", "{\"id\":\"else\",\"transport\":\"stdio\",\"command\":[\"true\"]}").status())
                .as("the body may not rename the backend").isEqualTo(400);

        assertThat(admin.delete("/admin/backends/extra").status()).isEqualTo(204);
        assertThat(toolNames(client)).noneMatch(name -> name.startsWith("extra__"));
        assertThat(admin.get("/admin/backends/extra").status()).isEqualTo(404);
        assertThat(admin.delete("/admin/backends/extra").status()).isEqualTo(404);
        assertThat(admin.get("/admin/status").json().path("config").path("differences").toString()).doesNotContain("extra");
    }

    @Test
    void aDisabledBackendLeavesTheListsAndComesBackWhenEnabled() {
        RawMcp client = new RawMcp(gateway, null, "/mcp").initialized();
        JsonNode disabled = admin.post("/admin/backends/demo/disable").json();
        assertThat(disabled.path("backend").path("state").asText()).isEqualTo("disabled");
        assertThat(toolNames(client)).noneMatch(name -> name.startsWith("demo__"));
        assertThat(client.call("demo__echo", "{\"text\":\"x\"}").path("error").path("message").asText()).isEqualTo("Unknown tool: demo__echo");
        assertThat(admin.get("/admin/status").json().path("config").path("differences").toString())
                .contains("backend 'demo' was disabled at run time");

        assertThat(admin.post("/admin/backends/demo/enable").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> toolNames(client).contains("demo__echo"));
        assertThat(greeting("demo")).isEqualTo("hello-from-the-file");
    }

    @Test
    void drainLetsTheCallInFlightFinishThenStopsTheBackend() throws Exception {
        AdminClient.Answer added = admin.post("/admin/backends", """
                {"id":"draining","transport":"stdio","command":%s}""".formatted(JavaCommand.json(TestingMcpBackend.class)));
        assertThat(added.status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).until(() -> admin.get("/admin/backends/draining").json().path("state").asText().equals("up"));
        RawMcp client = new RawMcp(gateway, null, "/mcp").initialized();
        CompletableFuture<JsonNode> slow = CompletableFuture.supplyAsync(() -> client.call("draining__slow", "{\"millis\":1500}"));
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.get("/admin/backends/draining").json().path("callsInFlight").asInt() == 1);

        JsonNode drained = admin.post("/admin/backends/draining/drain?timeout=20s").json();
        assertThat(slow).isDone();
        assertThat(slow.get().has("result")).as("the call in flight finished: " + slow.get()).isTrue();
        assertThat(drained.path("callsCutShort").asInt()).isZero();
        assertThat(drained.path("backend").path("state").asText()).isEqualTo("disabled");
        assertThat(drained.path("backend").path("connections").asInt()).as("its child is gone").isZero();
        assertThat(admin.delete("/admin/backends/draining").status()).isEqualTo(204);
    }

    @Test
    void resetCircuitClosesAnOpenCircuit() {
        RawMcp client = new RawMcp(gateway, null, "/mcp").initialized();
        for (int i = 0; i < 2; i++) {
            client.call("flaky__slow", "{\"millis\":2000}");
        }
        assertThat(admin.get("/admin/backends/flaky").json().path("circuit").asText()).isEqualTo("open");
        assertThat(client.call("flaky__echo", "{\"text\":\"x\"}").path("error").path("code").asInt()).isEqualTo(-32015);
        assertThat(admin.post("/admin/backends/flaky/reset-circuit").json().path("backend").path("circuit").asText()).isEqualTo("closed");
        assertThat(client.call("flaky__echo", "{\"text\":\"x\"}").has("result")).isTrue();
    }

    @Test
    void toolsShowTheirHashesAndAChangedOneIsApproved() {
        RawMcp client = new RawMcp(gateway, null, "/mcp").initialized();
        JsonNode tools = admin.get("/admin/backends/testing/tools").json();
        JsonNode touch = find(tools, "touch");
        assertThat(touch.path("descriptorHash").asText()).startsWith("sha256:");
        assertThat(touch.path("pinnedHash").asText()).isEqualTo(touch.path("descriptorHash").asText());
        assertThat(touch.path("state").asText()).isEqualTo("pinned");
        assertThat(touch.path("definition").path("name").asText()).isEqualTo("touch");
        assertThat(touch.path("pinnedDefinition").path("description").asText()).isEqualTo("testing touch");

        client.call("testing__redefine", "{\"tool\":\"touch\",\"description\":\"now it also deletes things\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> find(admin.get("/admin/backends/testing/tools").json(), "touch")
                .path("state").asText().equals("blocked"));
        assertThat(toolNames(client)).doesNotContain("testing__touch");
        JsonNode changed = find(admin.get("/admin/backends/testing/tools").json(), "touch");
        assertThat(changed.path("pinnedDefinition").path("description").asText()).as("the old definition, to compare").isEqualTo("testing touch");
        assertThat(changed.path("definition").path("description").asText()).isEqualTo("now it also deletes things");

        assertThat(admin.post("/admin/backends/testing/tools/touch/approve").status()).isEqualTo(200);
        JsonNode approved = find(admin.get("/admin/backends/testing/tools").json(), "touch");
        assertThat(approved.path("state").asText()).isEqualTo("pinned");
        assertThat(approved.path("pinnedHash").asText()).isNotEqualTo(touch.path("pinnedHash").asText());
        assertThat(approved.path("pinnedDefinition").path("description").asText()).isEqualTo("now it also deletes things");
        assertThat(toolNames(client)).contains("testing__touch");
        assertThat(admin.post("/admin/backends/testing/tools/nope/approve").status()).isEqualTo(404);
    }

    @Test
    void callsTenantsAndTheAuditBacklogAreShownForTheConsole() {
        RawMcp client = new RawMcp(gateway, null, "/servers/demo/mcp").initialized();
        for (int i = 0; i < 3; i++) {
            client.call("echo", "{\"text\":\"x\"}");
        }
        JsonNode calls = admin.get("/admin/calls?seconds=60&step=10").json();
        assertThat(calls.path("step").asInt()).isEqualTo(10);
        assertThat(calls.path("times")).hasSize(6);
        JsonNode demo = calls.path("backends").path("demo");
        double total = 0;
        for (JsonNode rate : demo.path("callsPerSecond")) {
            total += rate.asDouble() * 10;
        }
        assertThat(total).as("echo calls in the last minute: " + demo).isGreaterThanOrEqualTo(3);
        assertThat(StreamSupport.stream(demo.path("p99Millis").spliterator(), false).mapToDouble(JsonNode::asDouble).max().orElse(0)).isPositive();
        assertThat(calls.path("backends").has("testing")).isTrue();
        assertThat(admin.get("/admin/calls?step=0").status()).isEqualTo(400);

        JsonNode tenant = admin.get("/admin/tenants").json().path(0);
        assertThat(tenant.path("id").asText()).isEqualTo("default");
        assertThat(tenant.path("sessions").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(tenant.path("requestsInFlight").asInt()).isZero();
        assertThat(tenant.path("definition").has("quotas")).isTrue();
        assertThat(admin.get("/admin/status").json().path("audit").isArray()).isTrue();
        JsonNode session = StreamSupport.stream(admin.get("/admin/sessions").json().spliterator(), false)
                .filter(each -> each.path("id").asText().equals(client.sessionId())).findFirst().orElseThrow();
        assertThat(session.path("agent").isNull()).isTrue();
    }

    @Test
    void sessionsAreListedAndEnded() {
        RawMcp client = new RawMcp(gateway, null, "/servers/demo/mcp").initialized();
        client.call("echo", "{\"text\":\"x\"}");
        JsonNode listed = StreamSupport.stream(admin.get("/admin/sessions").json().spliterator(), false)
                .filter(session -> session.path("id").asText().equals(client.sessionId())).findFirst().orElseThrow();
        assertThat(listed.path("tenant").asText()).isEqualTo("default");
        assertThat(listed.path("endpoint").asText()).isEqualTo("/servers/demo/");
        assertThat(listed.path("invocations").asInt()).isEqualTo(1);
        assertThat(listed.path("protocolVersion").asText()).isEqualTo("2025-11-25");

        assertThat(admin.delete("/admin/sessions/" + client.sessionId()).status()).isEqualTo(204);
        assertThat(client.requestStatus("tools/list", "{}")).isEqualTo(404);
        assertThat(admin.delete("/admin/sessions/" + client.sessionId()).status()).isEqualTo(404);
    }

    @Test
    void agentsAreComposedAtRunTimeAndRemovedWithTheirSessions() {
        AdminClient.Answer added = admin.post("/admin/agents", """
                {"name":"greeter","uses":["demo__time"],"limits":{"maxCalls":2}}""");
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        RawMcp client = new RawMcp(gateway, null, "/agents/greeter/mcp").initialized();
        assertThat(toolNames(client)).containsExactly("demo__time");
        assertThat(client.call("demo__time", "{}").has("result")).isTrue();
        client.call("demo__time", "{}");
        assertThat(client.call("demo__time", "{}").path("error").path("code").asInt()).as("its limits hold").isEqualTo(-32008);

        assertThat(admin.get("/admin/agents/greeter").json().path("definition").path("uses").toString()).contains("demo__time");
        assertThat(admin.get("/admin/agents").json().toString()).contains("greeter");
        assertThat(admin.post("/admin/agents", "{\"name\":\"greeter\",\"uses\":[\"demo\"]}").status()).isEqualTo(409);
        assertThat(admin.post("/admin/agents", "{\"name\":\"Bad Name\",\"uses\":[\"demo\"]}").status()).isEqualTo(400);

        assertThat(admin.delete("/admin/agents/greeter").status()).isEqualTo(204);
        assertThat(client.requestStatus("tools/list", "{}")).as("its sessions ended").isEqualTo(404);
        assertThat(new RawMcp(gateway, null, "/agents/greeter/mcp").initialize().statusCode()).isEqualTo(404);
        assertThat(admin.get("/admin/agents/greeter").status()).isEqualTo(404);
    }

    @Test
    void theAuditRouteShowsRecentEventsIncludingTheOperatorsOwn() {
        admin.post("/admin/backends/demo/reset-circuit");
        JsonNode events = admin.get("/admin/audit?limit=5").json();
        assertThat(events.size()).isBetween(1, 5);
        JsonNode last = events.get(events.size() - 1);
        assertThat(last.path("type").asText()).isEqualTo("admin_action");
        assertThat(last.path("metadata").path("action").asText()).isEqualTo("reset-circuit");
        assertThat(last.path("metadata").path("by").asText()).isEqualTo("admin token #1");
        assertThat(admin.get("/admin/audit?limit=zero").status()).isEqualTo(400);
    }

    private static JsonNode find(JsonNode tools, String name) {
        List<JsonNode> matching = new ArrayList<>();
        tools.forEach(tool -> {
            if (tool.path("name").asText().equals(name)) {
                matching.add(tool);
            }
        });
        assertThat(matching).hasSize(1);
        return matching.getFirst();
    }

    private static String demoCommandJson() {
        return JavaCommand.json(DemoBackend.class);
    }
}
