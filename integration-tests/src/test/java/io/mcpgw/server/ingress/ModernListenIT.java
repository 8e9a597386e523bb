package io.mcpgw.server.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.testkit.AdminClient;
import io.mcpgw.testkit.JavaCommand;
import io.mcpgw.testkit.ModernMcp;
import io.mcpgw.testkit.NpmPeers;
import io.mcpgw.testkit.TestingBackendConfig;
import io.mcpgw.testkit.TestingConfig;
import io.mcpgw.testkit.TestingGateway;
import io.mcpgw.testkit.TestingMcpBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code subscriptions/listen} (MCP 2026-07-28) on the Streamable HTTP endpoints, with raw HTTP: the
 * acknowledgement with the filters the gateway honours, the view's list changes and subscribed resources' updates
 * tagged with the subscription id, for the principal's view alone, keep-alive comments, the backend's subscription
 * undone when the client closes the stream, the bounds, and the graceful end when the gateway stops.
 */
class ModernListenIT {

    private static final String SUBSCRIPTION_ID = "io.modelcontextprotocol/subscriptionId";
    private static final Duration SOON = Duration.ofSeconds(20);
    private static final Duration QUIET = Duration.ofMillis(1500);

    @TempDir
    static Path home;

    private static TestingGateway gateway;
    private final List<ModernMcp.Listening> opened = new ArrayList<>();

    @BeforeAll
    static void startGateway() throws InterruptedException {
        gateway = TestingConfig.gateway().admin("listen-admin-token-0123")
                .apiKey("open-1", "open", "bot-1").apiKey("open-2", "open", "bot-2").apiKey("globex", "globex", "ops")
                .tenant("open").tenant("globex", "backends: [demo]")
                .demoAndTesting("hello")
                .yaml("""
                        server:
                          listenKeepAlive: 200ms
                          maxListenersPerPrincipal: 3
                          maxListeners: 5
                        agents:
                          - name: brief
                            uses: [demo]
                        """)
                .startReady(home);
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    @AfterEach
    void closeListeners() throws Exception {
        for (ModernMcp.Listening listening : opened) {
            listening.close();
        }
        await().atMost(SOON).until(() -> listenersOpen() == 0);
    }

    private static ModernMcp client(String key, String endpoint) {
        return new ModernMcp(gateway, key, endpoint);
    }

    private ModernMcp.Listening listen(String key, String endpoint, int id, String filter) {
        ModernMcp.Listening listening = client(key, endpoint).listen(id, "{\"notifications\":" + filter + "}");
        opened.add(listening);
        return listening;
    }

    private static long listenersOpen() {
        String metrics = new AdminClient(gateway.adminUri(), "listen-admin-token-0123").get("/metrics").body();
        return metrics.lines().filter(line -> line.startsWith("mcpgw_listeners_active")).findFirst()
                .map(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).orElse(-1L);
    }

    private static JsonNode acknowledged(ModernMcp.Listening listening, int id) throws InterruptedException {
        assertThat(listening.status()).isEqualTo(200);
        JsonNode ack = listening.next(SOON);
        assertThat(ack.path("method").asText()).as(ack.toString()).isEqualTo("notifications/subscriptions/acknowledged");
        assertThat(ack.path("params").path("_meta").path(SUBSCRIPTION_ID).asInt()).isEqualTo(id);
        return ack.path("params").path("notifications");
    }

    private static JsonNode nextNotification(ModernMcp.Listening listening, String method) throws InterruptedException {
        long deadline = System.nanoTime() + SOON.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode message = listening.next(SOON);
            if (message.path("method").asText().equals(method)) {
                return message;
            }
        }
        throw new AssertionError("no " + method + " within " + SOON);
    }

    @Test
    void theAcknowledgementNamesWhatTheGatewayHonoursAndTheStreamKeepsAlive() throws Exception {
        ModernMcp.Listening listening = listen("open-1", "/mcp", 41, """
                {"toolsListChanged":true,"promptsListChanged":true,"resourcesListChanged":true,
                 "resourceSubscriptions":["test://doc/1","nobody://offers/this"]}""");
        assertThat(listening.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        assertThat(listening.headers().firstValue("X-Accel-Buffering")).hasValue("no");
        assertThat(listening.headers().firstValue("Mcp-Session-Id")).isEmpty();
        JsonNode honoured = acknowledged(listening, 41);
        assertThat(honoured.path("toolsListChanged").asBoolean()).isTrue();
        assertThat(honoured.path("promptsListChanged").asBoolean()).isTrue();
        assertThat(honoured.path("resourcesListChanged").asBoolean()).isTrue();
        assertThat(honoured.path("resourceSubscriptions")).extracting(JsonNode::asText)
                .as("a resource no backend behind the view offers is left out").containsExactly("test://doc/1");

        await().atMost(SOON).until(() -> listening.comments() >= 3);
        assertThat(listening.poll(Duration.ofMillis(300))).as("keep-alives are comments, not messages").isEmpty();

        ModernMcp.Listening nothingAsked = listen("open-1", "/mcp", 42, "{\"toolsListChanged\":false}");
        assertThat(acknowledged(nothingAsked, 42).size()).isZero();
    }

    @Test
    void discoverOffersListChangedAndSubscriptionsToModernClients() {
        JsonNode capabilities = client("open-1", "/mcp").request("server/discover", "{}").result().path("capabilities");
        assertThat(capabilities.path("tools").path("listChanged").asBoolean()).as(capabilities.toString()).isTrue();
        assertThat(capabilities.path("prompts").path("listChanged").asBoolean()).isTrue();
        assertThat(capabilities.path("resources").path("listChanged").asBoolean()).isTrue();
        assertThat(capabilities.path("resources").path("subscribe").asBoolean()).isTrue();
    }

    @Test
    void aBackendsToolListChangeReachesTheListenersWhoseViewShowsIt() throws Exception {
        ModernMcp.Listening aggregate = listen("open-1", "/mcp", 7, "{\"toolsListChanged\":true}");
        ModernMcp.Listening own = listen("open-2", "/servers/testing/mcp", 1, "{\"toolsListChanged\":true}");
        ModernMcp.Listening promptsOnly = listen("open-2", "/mcp", 8, "{\"promptsListChanged\":true}");
        ModernMcp.Listening granted = listen("globex", "/mcp", 9, "{\"toolsListChanged\":true}");
        ModernMcp.Listening agent = listen("open-1", "/agents/brief/mcp", 10, "{\"toolsListChanged\":true}");
        for (ModernMcp.Listening listening : List.of(aggregate, own, promptsOnly, granted, agent)) {
            acknowledged(listening, listening == own ? 1 : listening == aggregate ? 7 : listening == promptsOnly ? 8
                    : listening == granted ? 9 : 10);
        }

        ModernMcp.Answer added = client("open-1", "/mcp").call("testing__add_tool", "{\"name\":\"grown\"}");
        assertThat(added.result().path("content").path(0).path("text").asText()).as(added.response().toString()).isEqualTo("added");

        JsonNode changed = nextNotification(aggregate, "notifications/tools/list_changed");
        assertThat(changed.path("params").path("_meta").path(SUBSCRIPTION_ID).asInt()).isEqualTo(7);
        assertThat(nextNotification(own, "notifications/tools/list_changed").path("params").path("_meta").path(SUBSCRIPTION_ID).asInt())
                .isEqualTo(1);
        assertThat(client("open-1", "/mcp").request("tools/list", "{}").result().path("tools").toString())
                .as("the catalog is current when the listener lists again").contains("testing__grown");
        assertThat(promptsOnly.poll(QUIET)).as("a filter without toolsListChanged").isEmpty();
        assertThat(granted.poll(QUIET)).as("a tenant whose grants exclude the backend").isEmpty();
        assertThat(agent.poll(QUIET)).as("an agent that uses no tool of the backend").isEmpty();
    }

    @Test
    void aBackendAddedThroughTheAdminApiReachesTheListenersThatSeeIt() throws Exception {
        ModernMcp.Listening open = listen("open-1", "/mcp", 3, "{\"toolsListChanged\":true,\"promptsListChanged\":true}");
        ModernMcp.Listening granted = listen("globex", "/mcp", 4, "{\"toolsListChanged\":true}");
        acknowledged(open, 3);
        acknowledged(granted, 4);
        AdminClient admin = new AdminClient(gateway.adminUri(), "listen-admin-token-0123");
        AdminClient.Answer added = admin.post("/admin/backends", """
                {"id":"adhoc","transport":"stdio","isolation":"shared","command":%s}""".formatted(JavaCommand.json(TestingMcpBackend.class)));
        try {
            assertThat(added.status()).as(added.body()).isEqualTo(201);
            JsonNode changed = nextNotification(open, "notifications/tools/list_changed");
            assertThat(changed.path("params").path("_meta").path(SUBSCRIPTION_ID).asInt()).isEqualTo(3);
            assertThat(granted.poll(QUIET)).as("the tenant's grants exclude the new backend").isEmpty();
        } finally {
            admin.delete("/admin/backends/adhoc");
        }
    }

    @Test
    void aSubscribedResourcesUpdatesAreTaggedAndTheSubscriptionEndsWithTheStream() throws Exception {
        ModernMcp touching = client("open-2", "/mcp");
        assertThat(touch(touching)).as("nobody subscribed yet").isEqualTo("not subscribed");
        ModernMcp.Listening listening = listen("open-1", "/mcp", 21, "{\"resourceSubscriptions\":[\"test://doc/1\"]}");
        assertThat(acknowledged(listening, 21).path("resourceSubscriptions")).extracting(JsonNode::asText).containsExactly("test://doc/1");

        assertThat(touch(touching)).isEqualTo("updated");
        JsonNode updated = nextNotification(listening, "notifications/resources/updated");
        assertThat(updated.path("params").path("uri").asText()).isEqualTo("test://doc/1");
        assertThat(updated.path("params").path("_meta").path(SUBSCRIPTION_ID).asInt()).isEqualTo(21);

        listening.close();
        await().atMost(SOON).until(() -> touch(touching).equals("not subscribed"));
    }

    private static String touch(ModernMcp client) {
        return client.call("testing__touch", "{\"uri\":\"test://doc/1\"}").result().path("content").path(0).path("text").asText();
    }

    @Test
    void listenersAreBoundedPerPrincipalAndOverall() throws Exception {
        for (int id = 1; id <= 3; id++) {
            acknowledged(listen("open-1", "/mcp", id, "{\"toolsListChanged\":true}"), id);
        }
        ModernMcp.Listening fourth = listen("open-1", "/mcp", 4, "{\"toolsListChanged\":true}");
        assertThat(fourth.status()).isEqualTo(429);
        JsonNode refused = fourth.next(SOON);
        assertThat(refused.path("id").asInt()).isEqualTo(4);
        assertThat(refused.path("error").path("code").asInt()).isEqualTo(-32009);
        assertThat(refused.path("error").path("message").asText()).contains("server.maxListenersPerPrincipal");

        acknowledged(listen("open-2", "/mcp", 5, "{\"toolsListChanged\":true}"), 5);
        acknowledged(listen("globex", "/mcp", 6, "{\"toolsListChanged\":true}"), 6);
        ModernMcp.Listening overall = listen("globex", "/mcp", 7, "{\"toolsListChanged\":true}");
        assertThat(overall.status()).isEqualTo(429);
        assertThat(overall.next(SOON).path("error").path("message").asText()).contains("server.maxListeners");
        await().atMost(SOON).until(() -> listenersOpen() == 5);

        opened.getFirst().close();
        await().atMost(SOON).until(() -> listenersOpen() == 4);
        acknowledged(listen("open-1", "/mcp", 8, "{\"toolsListChanged\":true}"), 8);
    }

    @Test
    void aListenRequestIsCheckedLikeAnyModernRequest() throws Exception {
        ModernMcp.Listening mismatched = client("open-1", "/mcp").listen(1, "{\"notifications\":{}}", Map.of("Mcp-Method", "tools/list"));
        opened.add(mismatched);
        assertThat(mismatched.status()).isEqualTo(400);
        assertThat(mismatched.next(SOON).path("error").path("code").asInt()).isEqualTo(-32020);

        ModernMcp.Listening jsonOnly = client("open-1", "/mcp").listen(2, "{\"notifications\":{}}", Map.of("Accept", "application/json"));
        opened.add(jsonOnly);
        assertThat(jsonOnly.status()).isEqualTo(406);

        ModernMcp.Listening malformed = listen("open-1", "/mcp", 3, "{\"toolsListChanged\":\"yes\"}");
        assertThat(malformed.status()).isEqualTo(400);
        JsonNode invalid = malformed.next(SOON);
        assertThat(invalid.path("id").asInt()).isEqualTo(3);
        assertThat(invalid.path("error").path("code").asInt()).isEqualTo(-32602);

        ModernMcp.Listening anonymous = new ModernMcp(gateway, null, "/mcp").listen(4, "{\"notifications\":{}}");
        opened.add(anonymous);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(listenersOpen()).as("no refused request holds a listener").isZero();
    }

    @Test
    void aStoppingGatewayEndsTheStreamWithTheListenResponse(@TempDir Path own) throws Exception {
        TestingGateway stopping = TestingConfig.gateway().demoAndTesting("bye").startReady(own);
        ModernMcp.Listening listening = new ModernMcp(stopping, null, "/mcp").listen(77, "{\"notifications\":{\"toolsListChanged\":true}}");
        opened.add(listening);
        acknowledged(listening, 77);
        Thread closer = Thread.ofVirtual().start(stopping::close);
        JsonNode ended = listening.next(SOON);
        assertThat(ended.path("id").asInt()).as(ended.toString()).isEqualTo(77);
        assertThat(ended.path("result").path("resultType").asText()).isEqualTo("complete");
        assertThat(ended.path("result").path("_meta").path(SUBSCRIPTION_ID).asInt()).isEqualTo(77);
        assertThat(listening.ends(SOON)).isTrue();
        closer.join(SOON);
        Optional<JsonNode> after = listening.poll(Duration.ofMillis(100));
        assertThat(after).isEmpty();
    }

    @Test
    void serverEverythingsResourceUpdatesReachTheListener(@TempDir Path own) throws Exception {
        if (NpmPeers.everythingServer().isEmpty()) {
            if (NpmPeers.required()) {
                fail("CI=true but node or @modelcontextprotocol/server-everything is missing (testkit/npm)");
            }
            Assumptions.abort("node is not installed here; this test runs wherever it is, and always under CI");
        }
        try (TestingGateway everything = TestingGateway.start(own, """
                backends:
                  - id: everything
                    transport: stdio
                    command: ["%s", "%s", "stdio"]
                """.formatted(NpmPeers.node().orElseThrow(), NpmPeers.everythingServer().orElseThrow())).awaitReady(Duration.ofSeconds(60))) {
            ModernMcp client = new ModernMcp(everything, null, "/servers/everything/mcp");
            String uri = client.request("resources/list", "{}").result().path("resources").path(0).path("uri").asText();
            assertThat(uri).startsWith("demo://");
            ModernMcp.Listening listening = client.listen(5, "{\"notifications\":{\"resourceSubscriptions\":[\"" + uri + "\"]}}");
            opened.add(listening);
            assertThat(acknowledged(listening, 5).path("resourceSubscriptions")).extracting(JsonNode::asText).containsExactly(uri);
            assertThat(client.call("toggle-subscriber-updates", "{}").error().isMissingNode()).isTrue();
            JsonNode updated = nextNotification(listening, "notifications/resources/updated");
            assertThat(updated.path("params").path("uri").asText()).isEqualTo(uri);
            assertThat(updated.path("params").path("_meta").path(SUBSCRIPTION_ID).asInt()).isEqualTo(5);
            listening.close();
        }
    }

    @Test
    void reloadedGrantsTellTheTenantsListenersTheirListsChangedAndEndTheirStreams(@TempDir Path own) throws Exception {
        TestingConfig config = TestingConfig.gateway().admin("listen-admin-token-0123").apiKey("globex", "globex", "ops")
                .apiKey("open-1", "open", "bot-1").tenant("open").tenant("globex", "backends: [demo]").demoAndTesting("reload");
        try (TestingGateway reloading = config.startReady(own)) {
            ModernMcp.Listening granted = new ModernMcp(reloading, "globex", "/mcp").listen(12, "{\"notifications\":{\"toolsListChanged\":true}}");
            ModernMcp.Listening other = new ModernMcp(reloading, "open-1", "/mcp").listen(13, "{\"notifications\":{\"toolsListChanged\":true}}");
            opened.add(granted);
            opened.add(other);
            acknowledged(granted, 12);
            acknowledged(other, 13);
            assertThat(names(new ModernMcp(reloading, "globex", "/mcp").request("tools/list", "{}").result().path("tools")))
                    .noneMatch(name -> name.startsWith("testing__"));

            Files.writeString(reloading.configFile(), config.tenant("globex", "backends: [demo, testing]").text());
            AdminClient.Answer reloaded = new AdminClient(reloading.adminUri(), "listen-admin-token-0123").post("/admin/reload");
            assertThat(reloaded.status()).as(reloaded.body()).isEqualTo(200);

            JsonNode changed = granted.next(SOON);
            assertThat(changed.path("method").asText()).as(changed.toString()).isEqualTo("notifications/tools/list_changed");
            assertThat(changed.path("params").path("_meta").path(SUBSCRIPTION_ID).asInt()).isEqualTo(12);
            JsonNode ended = granted.next(SOON);
            assertThat(ended.path("id").asInt()).as(ended.toString()).isEqualTo(12);
            assertThat(ended.path("result").path("resultType").asText()).isEqualTo("complete");
            assertThat(granted.ends(SOON)).as("the stream ends, for the client to listen for its new view").isTrue();
            assertThat(other.poll(QUIET)).as("another tenant's listener is left alone").isEmpty();

            ModernMcp.Listening again = new ModernMcp(reloading, "globex", "/mcp").listen(14, "{\"notifications\":{\"toolsListChanged\":true}}");
            opened.add(again);
            acknowledged(again, 14);
            assertThat(names(new ModernMcp(reloading, "globex", "/mcp").request("tools/list", "{}").result().path("tools")))
                    .anyMatch(name -> name.startsWith("testing__"));
            assertThat(new ModernMcp(reloading, "open-1", "/mcp").call("testing__add_tool", "{\"name\":\"late\"}").result()
                    .path("content").path(0).path("text").asText()).isEqualTo("added");
            assertThat(nextNotification(again, "notifications/tools/list_changed").path("params").path("_meta").path(SUBSCRIPTION_ID).asInt())
                    .as("the new listener's view shows the newly granted backend").isEqualTo(14);
        }
    }

    @Test
    void aListenersEndLeavesTheBackendSessionItsTenantsOtherClientsUse(@TempDir Path own) throws Exception {
        try (TestingGateway isolated = TestingConfig.gateway().backend(TestingBackendConfig.testing())
                .yaml("server: { listenKeepAlive: 200ms }").startReady(own)) {
            ModernMcp client = new ModernMcp(isolated, null, "/mcp");
            ModernMcp.Listening first = client.listen(1, "{\"notifications\":{\"resourceSubscriptions\":[\"test://doc/1\"]}}");
            opened.add(first);
            assertThat(acknowledged(first, 1).path("resourceSubscriptions")).extracting(JsonNode::asText).containsExactly("test://doc/1");
            ModernMcp.Listening second = client.listen(2, "{\"notifications\":{\"resourceSubscriptions\":[\"test://doc/1\"]}}");
            opened.add(second);
            acknowledged(second, 2);
            String pid = text(client.call("testing__pid", "{}"));

            first.close();
            // the gateway finds the closed stream at its next keep-alive (200 ms), and would end a scope it thought unused at once
            Thread.sleep(QUIET.toMillis());
            assertThat(text(client.call("testing__pid", "{}"))).as("the tenant's backend session (isolation: tenant) outlives a listener")
                    .isEqualTo(pid);
            assertThat(text(client.call("testing__touch", "{\"uri\":\"test://doc/1\"}"))).as("the other listener's subscription stays")
                    .isEqualTo("updated");
            assertThat(nextNotification(second, "notifications/resources/updated").path("params").path("_meta").path(SUBSCRIPTION_ID).asInt())
                    .isEqualTo(2);
        }
    }

    private static String text(ModernMcp.Answer answer) {
        return answer.result().path("content").path(0).path("text").asText();
    }

    private static List<String> names(JsonNode items) {
        List<String> names = new ArrayList<>();
        items.forEach(item -> names.add(item.path("name").asText()));
        return names;
    }
}
