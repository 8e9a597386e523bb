package io.mcpgw.server.relay;

import static io.mcpgw.server.ingress.McpClientITSupport.spec;
import static io.mcpgw.server.ingress.McpClientITSupport.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.testkit.TestingBackendConfig;
import io.mcpgw.testkit.TestingConfig;
import io.mcpgw.testkit.TestingGateway;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The protocol beyond requests and answers, through the gateway, with the official SDK client on one side and one
 * shared stdio child on the other: a backend's requests to clients, progress, cancellation, logging, subscriptions.
 */
class RelayIT {

    private static final Duration READY = Duration.ofSeconds(60);

    @TempDir
    Path home;

    private TestingGateway gateway;
    private final List<McpSyncClient> clients = new ArrayList<>();

    @BeforeEach
    void startGateway() throws InterruptedException {
        gateway = TestingConfig.gateway()
                .yaml("""
                        server:
                          clientRequestTimeout: 2s
                        """)
                .backend(TestingBackendConfig.testing())
                .startReady(home);
    }

    @AfterEach
    void stop() {
        clients.forEach(McpSyncClient::closeGracefully);
        gateway.close();
    }

    /** A client that answers sampling, elicitation and roots with its own name in every answer. */
    private McpSyncClient askable(String name, String endpoint, Consumer<McpSchema.ProgressNotification> progress) {
        McpSyncClient client = spec(gateway, endpoint)
                .capabilities(McpSchema.ClientCapabilities.builder().sampling().elicitation().roots(true).build())
                .sampling(request -> McpSchema.CreateMessageResult.builder(McpSchema.Role.ASSISTANT,
                        name + " samples " + ((McpSchema.TextContent) request.messages().getFirst().content()).text(), "model-of-" + name).build())
                .elicitation(request -> new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT,
                        Map.of("answer", name + " answers " + request.message()), null))
                .roots(new McpSchema.Root("file:///home/" + name, name + "'s home"))
                .progressConsumer(progress)
                .build();
        client.initialize();
        clients.add(client);
        return client;
    }

    private McpSyncClient plain(Consumer<McpSchema.LoggingMessageNotification> logs, Consumer<List<McpSchema.ResourceContents>> updates) {
        McpSyncClient client = spec(gateway, "/mcp")
                .loggingConsumer(logs)
                .resourcesUpdateConsumer(updates)
                .build();
        client.initialize();
        clients.add(client);
        return client;
    }

    private static JsonNode ask(McpSyncClient client, String tool, String method, Object params) throws Exception {
        String answer = text(client.callTool(McpSchema.CallToolRequest.builder(tool)
                .arguments(Map.of("method", method, "params", params)).build()));
        return JsonRpc.MAPPER.readTree(answer);
    }

    private static Map<String, Object> sampling(String tag) {
        return Map.of("messages", List.of(Map.of("role", "user", "content", Map.of("type", "text", "text", tag))), "maxTokens", 10);
    }

    @Test
    void samplingElicitationAndRootsReachTheClientAndItsAnswersTheBackend() throws Exception {
        for (String endpoint : List.of("/mcp", "/servers/testing/mcp", "/sse", "/servers/testing/sse", "/ws", "/servers/testing/ws")) {
            String tool = endpoint.startsWith("/servers/") ? "ask" : "testing__ask";
            McpSyncClient client = askable("alice", endpoint, progress -> { });

            JsonNode sampled = ask(client, tool, "sampling/createMessage", sampling("hello"));
            assertThat(sampled.path("result").path("content").path("text").asText()).isEqualTo("alice samples hello");
            assertThat(sampled.path("result").path("model").asText()).isEqualTo("model-of-alice");

            JsonNode elicited = ask(client, tool, "elicitation/create", Map.of("mode", "form", "message", "name?",
                    "requestedSchema", Map.of("type", "object", "properties", Map.of("answer", Map.of("type", "string")))));
            assertThat(elicited.path("result").path("action").asText()).isEqualTo("accept");
            assertThat(elicited.path("result").path("content").path("answer").asText()).isEqualTo("alice answers name?");

            JsonNode roots = ask(client, tool, "roots/list", Map.of());
            assertThat(roots.path("result").path("roots").get(0).path("uri").asText()).isEqualTo("file:///home/alice");
        }
    }

    @Test
    void clientsSharingOneChildEachGetOnlyTheirOwnRequestsProgressAndResults() throws Exception {
        List<String> names = List.of("ann", "bob", "cyd", "dee");
        Map<String, List<McpSchema.ProgressNotification>> progress = Map.of("ann", new CopyOnWriteArrayList<>(),
                "bob", new CopyOnWriteArrayList<>(), "cyd", new CopyOnWriteArrayList<>(), "dee", new CopyOnWriteArrayList<>());
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<String>>> runs = new ArrayList<>();
            for (String name : names) {
                McpSyncClient client = askable(name, "/mcp", progress.get(name)::add);
                runs.add(threads.submit(() -> {
                    List<String> mismatches = new ArrayList<>();
                    for (int i = 0; i < 10; i++) {
                        String tag = name + "-" + i;
                        String sampled = ask(client, "testing__ask", "sampling/createMessage", sampling(tag))
                                .path("result").path("content").path("text").asText();
                        if (!sampled.equals(name + " samples " + tag)) {
                            mismatches.add(tag + " got " + sampled);
                        }
                        String done = text(client.callTool(McpSchema.CallToolRequest.builder("testing__progress")
                                .arguments(Map.of("steps", 3)).progressToken(tag).build()));
                        if (!done.equals("done 3")) {
                            mismatches.add(tag + " progress call got " + done);
                        }
                    }
                    return mismatches;
                }));
            }
            for (Future<List<String>> run : runs) {
                assertThat(run.get()).isEmpty();
            }
        }
        for (String name : names) {
            await().atMost(Duration.ofSeconds(10)).until(() -> progress.get(name).size() == 30);
            List<McpSchema.ProgressNotification> received = progress.get(name);
            assertThat(received).allSatisfy(update -> assertThat(update.progressToken().toString()).startsWith(name + "-"));
            for (int i = 0; i < 10; i++) {
                String tag = name + "-" + i;
                // The SDK hands notifications to consumers concurrently, so their order is checked on the wire below.
                assertThat(received.stream().filter(update -> update.progressToken().equals(tag)).map(McpSchema.ProgressNotification::progress))
                        .containsExactlyInAnyOrder(1.0, 2.0, 3.0);
            }
        }
    }

    @Test
    void progressArrivesInOrderUnderTheClientsTokenBeforeTheResult() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI mcp = gateway.baseUri().resolve("/mcp");
        String session = initialize(http, mcp);

        HttpResponse<String> streamed = http.send(post(mcp, session, """
                {"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"testing__progress","arguments":{"steps":20},"_meta":{"progressToken":"mine"}}}"""),
                HttpResponse.BodyHandlers.ofString());

        assertThat(streamed.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        List<JsonNode> messages = new ArrayList<>();
        for (String line : streamed.body().lines().toList()) {
            if (line.startsWith("data: ") && line.length() > "data: ".length()) {
                messages.add(JsonRpc.MAPPER.readTree(line.substring("data: ".length())));
            }
        }
        assertThat(messages).hasSize(21);
        for (int i = 0; i < 20; i++) {
            assertThat(messages.get(i).path("params").path("progressToken").asText()).isEqualTo("mine");
            assertThat(messages.get(i).path("params").path("progress").asInt()).isEqualTo(i + 1);
        }
        assertThat(messages.get(20).path("result").path("content").get(0).path("text").asText()).isEqualTo("done 20");
        assertThat(messages.get(20).path("id").asInt()).isEqualTo(5);
    }

    @Test
    void aClientWithoutTheCapabilityGetsTheBackendAnErrorNotAHang() throws Exception {
        McpSyncClient client = plain(log -> { }, updates -> { });
        JsonNode answer = ask(client, "testing__ask", "sampling/createMessage", sampling("x"));
        assertThat(answer.path("error").path("message").asText()).contains("did not declare the sampling capability");
    }

    @Test
    void aClientThatDoesNotAnswerInTimeGetsTheBackendATimeout() throws Exception {
        McpSyncClient silent = spec(gateway, "/mcp")
                .capabilities(McpSchema.ClientCapabilities.builder().sampling().build())
                .sampling(request -> {
                    sleep(6000);
                    return McpSchema.CreateMessageResult.builder(McpSchema.Role.ASSISTANT, "late", "m").build();
                })
                .build();
        silent.initialize();
        clients.add(silent);
        JsonNode answer = ask(silent, "testing__ask", "sampling/createMessage", sampling("x"));
        assertThat(answer.path("error").path("code").asInt()).isEqualTo(-32001);
        assertThat(answer.path("error").path("message").asText()).contains("did not answer sampling/createMessage within 2000 ms");
    }

    @Test
    void cancellationReachesTheBackendForTheRightRequestAndNoResultFollows() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI mcp = gateway.baseUri().resolve("/mcp");
        String session = initialize(http, mcp);
        // The tenant's child starts with its first call; started here, it has the call below within the pause.
        assertThat(http.send(post(mcp, session, """
                {"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"testing__cancelled","arguments":{}}}"""),
                HttpResponse.BodyHandlers.ofString()).body()).contains("\"result\"");

        CompletableFuture<HttpResponse<String>> waiting = http.sendAsync(post(mcp, session, """
                {"jsonrpc":"2.0","id":"call-7","method":"tools/call","params":{"name":"testing__wait_for_cancel","arguments":{}}}"""),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(500);
        assertThat(http.send(post(mcp, session, """
                {"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"call-7","reason":"changed my mind"}}"""),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(202);

        HttpResponse<String> cancelled = waiting.get();
        assertThat(cancelled.body()).doesNotContain("\"result\"").contains("-32800");

        HttpResponse<String> seen = http.send(post(mcp, session, """
                {"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"testing__cancelled","arguments":{}}}"""),
                HttpResponse.BodyHandlers.ofString());
        String ids = JsonRpc.MAPPER.readTree(seen.body()).path("result").path("content").get(0).path("text").asText();
        assertThat(ids).matches("\\d+");
    }

    @Test
    void logMessagesAreFilteredByTheLevelEachClientAsked() throws Exception {
        List<String> quietHeard = new CopyOnWriteArrayList<>();
        List<String> loudHeard = new CopyOnWriteArrayList<>();
        McpSyncClient quiet = plain(log -> quietHeard.add(log.data()), updates -> { });
        McpSyncClient loud = plain(log -> loudHeard.add(log.data()), updates -> { });
        quiet.setLoggingLevel(McpSchema.LoggingLevel.ERROR);
        loud.setLoggingLevel(McpSchema.LoggingLevel.DEBUG);

        quiet.callTool(McpSchema.CallToolRequest.builder("testing__log").arguments(Map.of("level", "info", "text", "quiet-info")).build());
        quiet.callTool(McpSchema.CallToolRequest.builder("testing__log").arguments(Map.of("level", "error", "text", "quiet-error")).build());
        loud.callTool(McpSchema.CallToolRequest.builder("testing__log").arguments(Map.of("level", "debug", "text", "loud-debug")).build());

        await().atMost(Duration.ofSeconds(10)).until(() -> quietHeard.contains("quiet-error") && loudHeard.contains("loud-debug"));
        assertThat(quietHeard).containsExactly("quiet-error");
        assertThat(loudHeard).containsExactly("loud-debug");
    }

    @Test
    void subscriptionsAreCountedAndUpdatesReachEverySubscriber() throws Exception {
        List<String> firstUpdates = new CopyOnWriteArrayList<>();
        List<String> secondUpdates = new CopyOnWriteArrayList<>();
        McpSyncClient first = plain(log -> { }, updates -> updates.forEach(update -> firstUpdates.add(update.uri())));
        McpSyncClient second = plain(log -> { }, updates -> updates.forEach(update -> secondUpdates.add(update.uri())));
        McpSchema.CallToolRequest touch = McpSchema.CallToolRequest.builder("testing__touch").arguments(Map.of("uri", "test://doc/1")).build();

        first.subscribeResource(McpSchema.SubscribeRequest.builder("test://doc/1").build());
        second.subscribeResource(McpSchema.SubscribeRequest.builder("test://doc/1").build());
        assertThat(text(first.callTool(touch))).isEqualTo("updated");
        await().atMost(Duration.ofSeconds(10)).until(() -> !firstUpdates.isEmpty() && !secondUpdates.isEmpty());

        first.unsubscribeResource(McpSchema.UnsubscribeRequest.builder("test://doc/1").build());
        assertThat(text(first.callTool(touch))).isEqualTo("updated");
        second.unsubscribeResource(McpSchema.UnsubscribeRequest.builder("test://doc/1").build());
        assertThat(text(first.callTool(touch))).isEqualTo("not subscribed");
    }

    private static String initialize(HttpClient http, URI mcp) throws Exception {
        HttpResponse<String> initialized = http.send(post(mcp, null, """
                {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}"""),
                HttpResponse.BodyHandlers.ofString());
        return initialized.headers().firstValue("Mcp-Session-Id").orElseThrow();
    }

    private static HttpRequest post(URI uri, String session, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-11-25");
        }
        return request.build();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
