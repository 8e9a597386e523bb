package io.mcpgw.server.egress;

import static io.mcpgw.server.ingress.McpClientITSupport.call;
import static io.mcpgw.server.ingress.McpClientITSupport.text;
import static io.mcpgw.testkit.TestingConfig.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.testkit.EverythingOverHttp;
import io.mcpgw.testkit.JavaCommand;
import io.mcpgw.testkit.NpmPeers;
import io.mcpgw.testkit.RawMcp;
import io.mcpgw.testkit.TestingGateway;
import io.mcpgw.testkit.TestingHttpMcpBackend;
import io.mcpgw.testkit.TestingMcpBackend;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code isolation}: which client sessions share a backend session. Three clients, two of tenant acme and one of
 * globex, use one backend; what the backend keeps per session (the roots it asked for, the log messages and resource
 * updates it sends on its own) reaches exactly the clients that share its session, over stdio and Streamable HTTP.
 */
class BackendIsolationIT {

    private static final Duration READY = Duration.ofSeconds(60);
    /** server-everything's simulated logging and resource updates tick every 5 s. */
    private static final Duration TICKS = Duration.ofSeconds(20);
    private static final List<String> CLIENTS = List.of("acme-1", "acme-2", "globex-1");
    private static final String IDENTITY = """
            identity:
              type: api-key
              keys:
                - { sha256: "%s", tenant: acme, client: one }
                - { sha256: "%s", tenant: acme, client: two }
                - { sha256: "%s", tenant: globex, client: one }
            tenants:
              - id: acme
              - id: globex
            """.formatted(sha256("acme-1"), sha256("acme-2"), sha256("globex-1"));

    @TempDir
    Path home;

    /** The clients a test opened, closed before its gateway; then the servers it started, closed after it. */
    private final List<McpSyncClient> clients = new ArrayList<>();
    private final List<EverythingOverHttp> servers = new ArrayList<>();

    /** Which client's roots each client gets back from {@code get-roots-list}, in the order they ask. */
    @ParameterizedTest(name = "{0} over {1}")
    @CsvSource({
        "session, stdio, acme-1 acme-2 globex-1",
        "session, http, acme-1 acme-2 globex-1",
        "tenant, stdio, acme-1 acme-1 globex-1",
        "shared, stdio, acme-1 acme-1 acme-1",
        "tenant, http, acme-1 acme-1 globex-1",
        "shared, http, acme-1 acme-1 acme-1"})
    void eachClientGetsTheRootsOfTheBackendSessionItShares(String isolation, String transport, String expected) throws Exception {
        try (TestingGateway gateway = everything(isolation, transport)) {
            List<String> rootsSeen = new ArrayList<>();
            for (String key : CLIENTS) {
                McpSyncClient client = withRoots(gateway, key);
                String roots = text(client.callTool(call("everything__get-roots-list", Map.of())));
                rootsSeen.add(CLIENTS.stream().filter(owner -> roots.contains("file:///roots/" + owner + "\n")).findFirst()
                        .orElse("none: " + roots));
            }
            closeClients();
            assertThat(String.join(" ", rootsSeen)).isEqualTo(expected);
        } finally {
            closeClients();
            closeServers();
        }
    }

    /**
     * acme-1 and globex-1 both subscribe to a resource, and acme-1 turns on server-everything's simulated logging and
     * resource updates for its backend session: globex-1 hears them only when it shares that session.
     */
    @ParameterizedTest(name = "{0} over {1}")
    @CsvSource({"session, stdio", "tenant, stdio", "shared, stdio", "session, http", "tenant, http", "shared, http"})
    void logMessagesAndResourceUpdatesReachOnlyTheClientsOfTheirBackendSession(String isolation, String transport) throws Exception {
        try (TestingGateway gateway = everything(isolation, transport)) {
            Heard acme = new Heard();
            Heard globex = new Heard();
            McpSyncClient asking = listening(gateway, "acme-1", acme);
            McpSyncClient other = listening(gateway, "globex-1", globex);
            String uri = asking.listResources().resources().getFirst().uri();
            asking.subscribeResource(McpSchema.SubscribeRequest.builder(uri).build());
            other.subscribeResource(McpSchema.SubscribeRequest.builder(uri).build());
            asking.callTool(call("everything__toggle-simulated-logging", Map.of()));
            asking.callTool(call("everything__toggle-subscriber-updates", Map.of()));

            await().atMost(TICKS).until(() -> !acme.logs.isEmpty() && acme.updates.contains(uri));
            if (isolation.equals("shared")) {
                await().atMost(TICKS).until(() -> !globex.logs.isEmpty() && globex.updates.contains(uri));
            } else {
                // acme-1 heard a tick of each since; globex-1, on a backend session of its own, heard none of them
                int ticks = acme.updates.size();
                await().atMost(TICKS).until(() -> acme.updates.size() > ticks);
                assertThat(globex.logs).isEmpty();
                assertThat(globex.updates).isEmpty();
            }
            closeClients();
        } finally {
            closeClients();
            closeServers();
        }
    }

    /** What the backend heard: server-everything's simulated log messages, and resource updates. */
    private static final class Heard {
        final List<String> logs = new CopyOnWriteArrayList<>();
        final List<String> updates = new CopyOnWriteArrayList<>();
    }

    /**
     * A backend says what belongs to no call (server-everything's first {@code roots/list}) on the GET stream of the
     * session, and drops it while that stream is not open: a client's first call through a backend session just
     * opened goes out only once the stream is, however slowly the backend opens it.
     */
    @Test
    void noCallReachesANewBackendSessionBeforeItsStreamIsOpen() throws Exception {
        try (TestingHttpMcpBackend backend = TestingHttpMcpBackend.withStreamOpeningAfter(Duration.ofMillis(500));
                TestingGateway gateway = TestingGateway.start(home, IDENTITY + """
                        backends:
                          - id: testing
                            transport: http
                            url: %s
                            isolation: session
                        """.formatted(backend.uri())).awaitReady(READY)) {
            List<String> sessions = new ArrayList<>();
            for (String key : CLIENTS) {
                sessions.add(sessionOf(new RawMcp(gateway, key, "/mcp").initialized()));
            }
            assertThat(sessions).doesNotHaveDuplicates();
            assertThat(backend.callsBeforeStream()).isZero();
        }
    }

    /**
     * A backend that never answers the DELETE that ends a session holds neither the session's end nor the gateway's
     * stop past its {@code connectTimeout}.
     */
    @Test
    void aBackendThatNeverAnswersDeleteDoesNotHoldTheGatewaysStop() throws Exception {
        try (TestingHttpMcpBackend backend = TestingHttpMcpBackend.neverAnsweringDelete()) {
            TestingGateway gateway = TestingGateway.start(home, IDENTITY + """
                    backends:
                      - id: testing
                        transport: http
                        url: %s
                        connectTimeout: 1s
                        isolation: session
                    """.formatted(backend.uri())).awaitReady(READY);
            RawMcp client = new RawMcp(gateway, "acme-1", "/mcp").initialized();
            String session = sessionOf(client);
            assertThat(client.delete()).isEqualTo(204);
            await().atMost(Duration.ofSeconds(10)).until(() -> backend.endedSessions().contains(session));
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(gateway::close);
            assertThat(stopped).as("the gateway stopped").succeedsWithin(Duration.ofSeconds(20));
        }
    }

    /** Calls arrive on one backend session per client, per tenant, or one for all; a session's ends with its clients. */
    @ParameterizedTest
    @ValueSource(strings = {"session", "tenant", "shared"})
    void callsArriveOnTheBackendSessionOfTheirScopeWhichEndsWithIt(String isolation) throws Exception {
        try (TestingHttpMcpBackend backend = new TestingHttpMcpBackend();
                TestingGateway gateway = TestingGateway.start(home, IDENTITY + """
                        backends:
                          - id: testing
                            transport: http
                            url: %s
                            isolation: %s
                        """.formatted(backend.uri(), isolation)).awaitReady(READY)) {
            List<RawMcp> clients = CLIENTS.stream().map(key -> new RawMcp(gateway, key, "/mcp").initialized()).toList();
            List<String> sessions = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < clients.size(); i++) {
                    String session = sessionOf(clients.get(i));
                    if (round == 0) {
                        sessions.add(session);
                    } else {
                        assertThat(session).as(CLIENTS.get(i) + " keeps its backend session").isEqualTo(sessions.get(i));
                    }
                }
            }
            assertThat(backend.callSessions()).containsExactlyElementsOf(List.of(sessions, sessions).stream().flatMap(List::stream).toList());
            String acme1 = sessions.get(0);
            String acme2 = sessions.get(1);
            String globex = sessions.get(2);
            switch (isolation) {
                case "session" -> assertThat(sessions).doesNotHaveDuplicates();
                case "tenant" -> assertThat(acme1).isEqualTo(acme2).isNotEqualTo(globex);
                default -> assertThat(sessions).containsOnly(acme1);
            }

            assertThat(clients.get(0).delete()).isEqualTo(204);
            if (isolation.equals("session")) {
                await().atMost(Duration.ofSeconds(10)).until(() -> backend.endedSessions().contains(acme1));
            }
            assertThat(sessionOf(clients.get(1))).as("acme-2 still has its backend session").isEqualTo(acme2);
            assertThat(clients.get(1).delete()).isEqualTo(204);
            assertThat(clients.get(2).delete()).isEqualTo(204);
            if (isolation.equals("shared")) {
                assertThat(sessionOf(new RawMcp(gateway, "acme-1", "/mcp").initialized())).as("the shared pool outlives its clients")
                        .isEqualTo(acme1);
            } else {
                await().atMost(Duration.ofSeconds(10)).until(() -> backend.endedSessions().containsAll(sessions));
            }
        }
    }

    /** Under {@code session} isolation a stdio backend runs a child per client session, at most {@code maxProcesses}. */
    @Test
    void aStdioBackendRefusesASessionPastMaxProcessesUntilOneEnds() throws Exception {
        try (TestingGateway gateway = TestingGateway.start(home, """
                backends:
                  - id: testing
                    transport: stdio
                    command: %s
                    isolation: session
                    maxProcesses: 2
                """.formatted(JavaCommand.yaml(TestingMcpBackend.class))).awaitReady(READY)) {
            RawMcp first = new RawMcp(gateway, null, "/mcp").initialized();
            RawMcp second = new RawMcp(gateway, null, "/mcp").initialized();
            RawMcp third = new RawMcp(gateway, null, "/mcp").initialized();
            String firstPid = pid(first);
            String secondPid = pid(second);
            assertThat(firstPid).isNotEqualTo(secondPid);
            assertThat(pid(first)).isEqualTo(firstPid);

            JsonNode refused = third.call("testing__pid", "{}");
            assertThat(refused.path("error").path("code").asInt()).isEqualTo(-32016);
            assertThat(refused.path("error").path("message").asText())
                    .isEqualTo("backend 'testing' has all its 2 connections (maxProcesses) serving other sessions; try again when one ends");

            assertThat(first.delete()).isEqualTo(204);
            await().atMost(Duration.ofSeconds(20)).until(() -> third.call("testing__pid", "{}").has("result"));
            assertThat(pid(third)).isNotIn(firstPid, secondPid);
            assertThat(pid(second)).isEqualTo(secondPid);
        }
    }

    /**
     * Under {@code tenant} isolation with one process, tenants take turns on it: an idle tenant's child gives way to
     * another tenant's, never serving both; a busy one does not, and the other tenant is refused at once.
     */
    @Test
    void tenantsTakeTurnsOnOneChildButNeverShareIt() throws Exception {
        Path started = home.resolve("started.txt");
        try (TestingGateway gateway = TestingGateway.start(home, IDENTITY + """
                backends:
                  - id: testing
                    transport: stdio
                    command: %s
                    env: { TESTING_RECORD_FILE: "%s" }
                    isolation: tenant
                """.formatted(JavaCommand.yaml(TestingMcpBackend.class), started)).awaitReady(READY)) {
            RawMcp acme = new RawMcp(gateway, "acme-1", "/mcp").initialized();
            RawMcp globex = new RawMcp(gateway, "globex-1", "/mcp").initialized();
            String acmePid = pid(acme);
            String globexPid = pid(globex);
            assertThat(globexPid).isNotEqualTo(acmePid);
            String acmeAgain = pid(acme);
            assertThat(acmeAgain).isNotIn(acmePid, globexPid);

            CompletableFuture<JsonNode> busy = CompletableFuture.supplyAsync(
                    () -> acme.call("testing__slow", "{\"millis\":3000,\"mark\":\"acme\"}"));
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(started) && Files.readString(started).contains("acme"));
            JsonNode refused = globex.call("testing__pid", "{}");
            assertThat(refused.path("error").path("code").asInt()).isEqualTo(-32016);
            assertThat(refused.path("error").path("message").asText()).contains("serving other tenants");
            assertThat(busy.get(10, TimeUnit.SECONDS).path("result").path("content").get(0).path("text").asText()).isEqualTo("slept 3000");
            assertThat(pid(acme)).as("acme kept its child while it was busy").isEqualTo(acmeAgain);
        }
    }

    private static String pid(RawMcp client) {
        return client.call("testing__pid", "{}").path("result").path("content").get(0).path("text").asText();
    }

    private static String sessionOf(RawMcp client) {
        JsonNode answer = client.call("testing__session", "{}");
        assertThat(answer.has("result")).as(answer.toString()).isTrue();
        return answer.path("result").path("content").get(0).path("text").asText();
    }

    /** A gateway in front of server-everything over {@code transport}, with {@code isolation}. */
    private TestingGateway everything(String isolation, String transport) throws Exception {
        if (NpmPeers.everythingServer().isEmpty()) {
            if (NpmPeers.required()) {
                fail("CI=true but node or @modelcontextprotocol/server-everything is missing (testkit/npm)");
            }
            Assumptions.abort("node is not installed here; these tests run wherever it is, and always under CI");
        }
        Path server = NpmPeers.everythingServer().orElseThrow();
        Path node = NpmPeers.node().orElseThrow();
        String backend;
        if (transport.equals("stdio")) {
            // a child for each client session or tenant; the shared pool keeps one child, as it always had
            backend = """
                    transport: stdio
                    command: ["%s", "%s", "stdio"]
                    """.formatted(node, server) + (isolation.equals("shared") ? "" : "maxProcesses: 3\n");
        } else {
            EverythingOverHttp everything = new EverythingOverHttp(node, server, "streamableHttp", home.resolve("everything.log"));
            servers.add(everything);
            backend = """
                    transport: http
                    url: %s/mcp
                    """.formatted(everything.url());
        }
        StringBuilder indented = new StringBuilder();
        (backend + "isolation: " + isolation + "\n").lines().forEach(line -> indented.append("    ").append(line).append('\n'));
        return TestingGateway.start(home, IDENTITY + """
                backends:
                  - id: everything
                """ + indented).awaitReady(READY);
    }

    /** A client of {@code key} whose one root is {@code file:///roots/<key>}. */
    private McpSyncClient withRoots(TestingGateway gateway, String key) {
        McpSyncClient client = spec(gateway, key)
                .capabilities(McpSchema.ClientCapabilities.builder().roots(true).build())
                .roots(new McpSchema.Root("file:///roots/" + key, key))
                .build();
        clients.add(client);
        client.initialize();
        return client;
    }

    /** A client of {@code key} that keeps the simulated log messages and resource updates it hears in {@code heard}. */
    private McpSyncClient listening(TestingGateway gateway, String key, Heard heard) {
        McpSyncClient client = spec(gateway, key)
                .loggingConsumer(log -> {
                    if (String.valueOf(log.data()).contains("-level message")) {
                        heard.logs.add(String.valueOf(log.data()));
                    }
                })
                .resourcesUpdateConsumer(updated -> updated.forEach(contents -> heard.updates.add(contents.uri())))
                .build();
        clients.add(client);
        client.initialize();
        return client;
    }

    private static McpClient.SyncSpec spec(TestingGateway gateway, String key) {
        return McpClient.sync(HttpClientStreamableHttpTransport.builder(gateway.baseUri().toString()).endpoint("/mcp")
                        .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + key)).build())
                .requestTimeout(Duration.ofSeconds(30));
    }

    private void closeClients() {
        clients.forEach(McpSyncClient::close);
        clients.clear();
    }

    private void closeServers() throws InterruptedException {
        for (EverythingOverHttp server : servers) {
            server.close();
        }
        servers.clear();
    }
}
