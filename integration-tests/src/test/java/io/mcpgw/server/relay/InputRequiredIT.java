package io.mcpgw.server.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.cluster.ClusterSeal;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.testkit.AdminClient;
import io.mcpgw.testkit.EverythingOverHttp;
import io.mcpgw.testkit.ModernMcp;
import io.mcpgw.testkit.NpmPeers;
import io.mcpgw.testkit.TestingBackendConfig;
import io.mcpgw.testkit.TestingConfig;
import io.mcpgw.testkit.TestingGateway;
import io.mcpgw.testkit.TestingMcpBackend;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A raw MCP 2026-07-28 client through the gateway to a legacy backend (the testing backend on stdio, server-everything
 * over Streamable HTTP) that asks for
 * sampling, elicitation (form and URL) and roots during a tool call: the {@code input_required} answers, the
 * retries with the client's input, the final result on the last retry, several rounds, and what ends a held call
 * (a client that never retries, a backend that withdraws its request) or refuses a retry (a changed, foreign or
 * expired {@code requestState}, keys rotated); and the TypeScript SDK v2 client answering with its own handlers.
 */
class InputRequiredIT {

    private static final String CAPABILITIES = "{\"sampling\":{},\"elicitation\":{\"form\":{},\"url\":{}},\"roots\":{}}";
    private static final String SAMPLE = "{\"method\":\"sampling/createMessage\",\"params\":{\"messages\":[{\"role\":\"user\","
            + "\"content\":{\"type\":\"text\",\"text\":\"capital of France?\"}}],\"maxTokens\":50,\"_meta\":{\"progressToken\":\"p1\"}}}";
    private static final String FORM = "{\"method\":\"elicitation/create\",\"params\":{\"mode\":\"form\",\"message\":\"Your login?\","
            + "\"requestedSchema\":{\"type\":\"object\",\"properties\":{\"login\":{\"type\":\"string\"}}}}}";
    private static final String URL = "{\"method\":\"elicitation/create\",\"params\":{\"mode\":\"url\",\"message\":\"Sign in\","
            + "\"url\":\"https://auth.example.com/start\",\"elicitationId\":\"e-1\"}}";
    private static final String ROOTS = "{\"method\":\"roots/list\",\"params\":{}}";
    private static final String SAMPLED = "{\"role\":\"assistant\",\"content\":{\"type\":\"text\",\"text\":\"Paris\"},\"model\":\"m\","
            + "\"stopReason\":\"endTurn\"}";
    private static final Pattern PENDING = Pattern.compile("(?m)^mcpgw_input_required_pending(?:\\{[^}]*})? (\\S+)$");
    private static final byte[] FIRST_KEY = randomKey();
    private static final byte[] SECOND_KEY = randomKey();

    @TempDir
    static Path home;

    private static TestingGateway gateway;
    private final AtomicInteger ids = new AtomicInteger(100);

    @BeforeAll
    static void startGateway() throws InterruptedException {
        gateway = TestingConfig.gateway().admin("input-required-admin-token")
                .apiKey("bot-1", "open", "bot-1").apiKey("bot-2", "open", "bot-2")
                .tenant("open")
                .backend(TestingBackendConfig.stdio("testing", TestingMcpBackend.class))
                .yaml("server:\n  clientRequestTimeout: 3s\n  stateKeys: [\"" + base64(FIRST_KEY) + "\", \"" + base64(SECOND_KEY) + "\"]\n")
                .startReady(home);
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static ModernMcp client(String key) {
        return new ModernMcp(gateway, key, "/mcp").declaring(CAPABILITIES);
    }

    private static String ask(String arguments) {
        return "{\"name\":\"testing__ask\",\"arguments\":" + arguments + "}";
    }

    /** A request of {@code client}'s with a fresh id, as it sends it. */
    private ModernMcp.Answer send(ModernMcp client, String method, ObjectNode params) {
        return client.send(client.body(ids.incrementAndGet(), method, JsonRpc.write(params)), method, Map.of());
    }

    /** The retry of {@code params}: the same params with the client's input and the state it was given. */
    private ModernMcp.Answer retry(ModernMcp client, String method, String params, String requestState, String inputResponses) {
        ObjectNode retried = (ObjectNode) read(params);
        retried.set("inputResponses", read(inputResponses));
        retried.put("requestState", requestState);
        return send(client, method, retried);
    }

    private static JsonNode read(String json) {
        try {
            return JsonRpc.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the testing backend heard back, as the tool's text result says. */
    private static JsonNode heard(ModernMcp.Answer answer) {
        assertThat(answer.result().path("resultType").asText()).as(answer.response().toString()).isEqualTo("complete");
        return read(answer.result().path("content").path(0).path("text").asText());
    }

    private static JsonNode interim(ModernMcp.Answer answer) {
        assertThat(answer.status()).as(answer.response().toString()).isEqualTo(200);
        assertThat(answer.result().path("resultType").asText()).as(answer.response().toString()).isEqualTo("input_required");
        assertThat(answer.result().path("requestState").asText()).isNotEmpty();
        return answer.result().path("inputRequests");
    }

    private static double pending() {
        String body = new AdminClient(gateway.adminUri(), "input-required-admin-token").get("/metrics").body();
        Matcher sample = PENDING.matcher(body);
        return sample.find() ? Double.parseDouble(sample.group(1)) : 0;
    }

    @Test
    void aSamplingRequestIsAskedInAnInputRequiredResultAndTheRetryGetsTheFinalResult() {
        ModernMcp client = client("bot-1");
        String params = ask(SAMPLE);
        ModernMcp.Answer first = send(client, "tools/call", (ObjectNode) read(params));
        JsonNode requests = interim(first);
        assertThat(first.response().path("id").asInt()).isEqualTo(ids.get());
        assertThat(requests.size()).isEqualTo(1);
        String key = requests.fieldNames().next();
        JsonNode asked = requests.path(key);
        assertThat(asked.path("method").asText()).isEqualTo("sampling/createMessage");
        assertThat(asked.path("params").path("messages").path(0).path("content").path("text").asText()).isEqualTo("capital of France?");
        assertThat(asked.path("params").path("maxTokens").asInt()).isEqualTo(50);
        assertThat(asked.path("params").has("_meta")).as("the legacy request's progress token is the gateway's, not the client's").isFalse();
        assertThat(asked.has("id")).isFalse();
        assertThat(first.result().path("_meta").has("io.modelcontextprotocol/serverInfo")).isTrue();
        assertThat(first.result().has("ttlMs")).as("an interim result is nothing to cache").isFalse();

        ModernMcp.Answer last = retry(client, "tools/call", params, first.result().path("requestState").asText(), "{\"" + key + "\":" + SAMPLED + "}");
        assertThat(last.response().path("id").asInt()).as("the retry gets the final result").isEqualTo(ids.get());
        JsonNode backendHeard = heard(last);
        assertThat(backendHeard.path("id").asText()).as("under the backend's own id").startsWith("backend-");
        assertThat(backendHeard.path("result").path("content").path("text").asText()).isEqualTo("Paris");
        assertThat(backendHeard.path("result").has("resultType")).isFalse();
        await().atMost(Duration.ofSeconds(5)).until(() -> pending() == 0);
    }

    @Test
    void eachOfTheBackendsRequestsInTurnIsARoundAndTheLastRetryGetsTheResult() {
        ModernMcp client = client("bot-1");
        String params = ask("{\"asks\":[" + FORM + "," + URL + "," + ROOTS + "]}");
        ModernMcp.Answer answer = send(client, "tools/call", (ObjectNode) read(params));
        String[] responses = {"{\"action\":\"accept\",\"content\":{\"login\":\"octocat\"}}", "{\"action\":\"accept\"}",
                "{\"roots\":[{\"uri\":\"file:///work\",\"name\":\"work\"}]}"};
        String[] methods = {"elicitation/create", "elicitation/create", "roots/list"};
        for (int round = 0; round < 3; round++) {
            JsonNode requests = interim(answer);
            assertThat(requests.size()).as("round " + round).isEqualTo(1);
            String key = requests.fieldNames().next();
            assertThat(requests.path(key).path("method").asText()).isEqualTo(methods[round]);
            if (round == 1) {
                assertThat(requests.path(key).path("params").path("url").asText()).isEqualTo("https://auth.example.com/start");
                assertThat(requests.path(key).path("params").has("elicitationId")).as("2026-07-28 has no elicitationId").isFalse();
            }
            assertThat(pending()).isGreaterThanOrEqualTo(1);
            answer = retry(client, "tools/call", params, answer.result().path("requestState").asText(), "{\"" + key + "\":" + responses[round] + "}");
        }
        JsonNode backendHeard = heard(answer);
        assertThat(backendHeard.path(0).path("result").path("content").path("login").asText()).isEqualTo("octocat");
        assertThat(backendHeard.path(1).path("result").path("action").asText()).isEqualTo("accept");
        assertThat(backendHeard.path(2).path("result").path("roots").path(0).path("uri").asText()).isEqualTo("file:///work");
    }

    @Test
    void requestsTheBackendMakesTogetherAreAskedInOneRoundAndWhatIsNotAnsweredIsAskedAgain() {
        ModernMcp client = client("bot-1");
        String params = ask("{\"together\":true,\"asks\":[" + SAMPLE + "," + FORM + "]}");
        ModernMcp.Answer first = send(client, "tools/call", (ObjectNode) read(params));
        JsonNode requests = interim(first);
        assertThat(requests.size()).isEqualTo(2);
        String sampling = null;
        String form = null;
        for (var names = requests.fieldNames(); names.hasNext();) {
            String key = names.next();
            if (requests.path(key).path("method").asText().equals("sampling/createMessage")) {
                sampling = key;
            } else {
                form = key;
            }
        }
        ModernMcp.Answer second = retry(client, "tools/call", params, first.result().path("requestState").asText(),
                "{\"" + sampling + "\":" + SAMPLED + ",\"unknown\":{}}");
        JsonNode again = interim(second);
        assertThat(again.size()).as("only what was not answered").isEqualTo(1);
        assertThat(again.has(form)).isTrue();
        ModernMcp.Answer last = retry(client, "tools/call", params, second.result().path("requestState").asText(),
                "{\"" + form + "\":{\"action\":\"decline\"}}");
        JsonNode backendHeard = heard(last);
        assertThat(backendHeard.path(0).path("result").path("model").asText()).isEqualTo("m");
        assertThat(backendHeard.path(1).path("result").path("action").asText()).isEqualTo("decline");
    }

    @Test
    void aClientThatNeverRetriesEndsTheBackendsRequestAfterTheWaitAndItsStateThen() {
        ModernMcp client = client("bot-1");
        int cancelledBefore = cancelledAtBackend(client);
        String params = ask(FORM);
        ModernMcp.Answer first = send(client, "tools/call", (ObjectNode) read(params));
        interim(first);
        assertThat(pending()).isGreaterThanOrEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> cancelledAtBackend(client) > cancelledBefore);
        await().atMost(Duration.ofSeconds(5)).until(() -> pending() == 0);
        ModernMcp.Answer late = retry(client, "tools/call", params, first.result().path("requestState").asText(),
                "{\"input-1\":{\"action\":\"accept\"}}");
        assertThat(late.error().path("code").asInt()).as(late.response().toString()).isEqualTo(-32602);
        assertThat(late.error().path("message").asText()).containsAnyOf("expired", "has ended");
    }

    private static int cancelledAtBackend(ModernMcp client) {
        String ids = client.call("testing__cancelled", "{}").result().path("content").path(0).path("text").asText();
        return ids.isEmpty() ? 0 : ids.split(",").length;
    }

    @Test
    void aRequestTheBackendWithdrawsIsNotAnsweredAndTheRetryGetsWhatTheCallBecame() throws InterruptedException {
        ModernMcp.Answer last = rootsAnsweredLate(client("bot-1"), "\"withdrawAfterMillis\":300");
        assertThat(last.result().path("content").path(0).path("text").asText()).as(last.response().toString()).startsWith("withdrawn backend-");
    }

    /** The backend asks for roots ({@code option} says what it does meanwhile); the client answers a second later. */
    private ModernMcp.Answer rootsAnsweredLate(ModernMcp client, String option) throws InterruptedException {
        String params = ask(ROOTS.replaceFirst("\\}$", "," + option + "}"));
        ModernMcp.Answer first = send(client, "tools/call", (ObjectNode) read(params));
        String key = interim(first).fieldNames().next();
        Thread.sleep(1000);
        return retry(client, "tools/call", params, first.result().path("requestState").asText(), "{\"" + key + "\":{\"roots\":[]}}");
    }

    @Test
    void aBackendThatDiesWhileTheClientIsAskedMakesTheRetryAClearError() throws Exception {
        try (TestingGateway dying = TestingConfig.gateway().backend(TestingBackendConfig.stdio("testing", TestingMcpBackend.class))
                .startReady(home.resolve("dying"))) {
            ModernMcp.Answer last = rootsAnsweredLate(new ModernMcp(dying, null, "/mcp").declaring(CAPABILITIES), "\"exitAfterMillis\":200");
            assertThat(last.response().path("id").asInt()).isEqualTo(ids.get());
            assertThat(last.error().path("code").asInt()).as(last.response().toString()).isEqualTo(-32010);
            assertThat(last.error().path("message").asText()).isNotEmpty();
        }
    }

    @Test
    void aClientsHeldCallsAreBoundedAndABackendsRequestPastTheBoundIsRefused() throws Exception {
        // a held call keeps its backend connection to itself, so the second call needs a second process
        try (TestingGateway bounded = TestingConfig.gateway()
                .backend(TestingBackendConfig.stdio("testing", TestingMcpBackend.class).shared().with("maxProcesses: 2"))
                .yaml("server:\n  maxPendingInputsPerClient: 1\n").startReady(home.resolve("bounded"))) {
            ModernMcp client = new ModernMcp(bounded, null, "/mcp").declaring(CAPABILITIES);
            String params = ask(ROOTS);
            ModernMcp.Answer held = send(client, "tools/call", (ObjectNode) read(params));
            String key = interim(held).fieldNames().next();
            ModernMcp.Answer past = send(client, "tools/call", (ObjectNode) read(params));
            JsonNode backendHeard = heard(past);
            assertThat(backendHeard.path("error").path("message").asText()).contains("server.maxPendingInputsPerClient");
            ModernMcp.Answer done = retry(client, "tools/call", params, held.result().path("requestState").asText(),
                    "{\"" + key + "\":{\"roots\":[]}}");
            assertThat(heard(done).path("result").path("roots").isArray()).isTrue();
        }
    }

    @Test
    void aChangedForeignExpiredOrRepurposedStateIsRefusedAndARotatedKeyStillOpens() throws IOException {
        ModernMcp client = client("bot-1");
        String params = ask(SAMPLE);
        ModernMcp.Answer first = send(client, "tools/call", (ObjectNode) read(params));
        String key = interim(first).fieldNames().next();
        String state = first.result().path("requestState").asText();
        String answered = "{\"" + key + "\":" + SAMPLED + "}";

        char flipped = state.charAt(state.length() / 2) == 'A' ? 'B' : 'A';
        String changed = state.substring(0, state.length() / 2) + flipped + state.substring(state.length() / 2 + 1);
        assertRefused(retry(client, "tools/call", params, changed, answered), "not sealed by this gateway");
        assertRefused(retry(client, "tools/call", params, sealed(new byte[32], open(state)), answered), "not sealed by this gateway");
        assertRefused(retry(client("bot-2"), "tools/call", params, state, answered), "another client");
        assertRefused(retry(new ModernMcp(gateway, "bot-1", "/servers/testing/mcp").declaring(CAPABILITIES), "tools/call",
                "{\"name\":\"ask\",\"arguments\":" + SAMPLE + "}", state, answered), "another endpoint");
        assertRefused(retry(client, "tools/call", ask(FORM), state, answered), "continues another request");
        ObjectNode expired = open(state);
        expired.put("expiresAtMillis", System.currentTimeMillis() - 1000);
        assertRefused(retry(client, "tools/call", params, sealed(FIRST_KEY, expired), answered), "expired");
        assertThat(pending()).as("a refused retry leaves the call held").isGreaterThanOrEqualTo(1);

        ModernMcp.Answer rotated = retry(client, "tools/call", params, sealed(SECOND_KEY, open(state)), answered);
        assertThat(heard(rotated).path("result").path("content").path("text").asText()).as("a state sealed with the second key opens")
                .isEqualTo("Paris");
        assertRefused(retry(client, "tools/call", params, state, answered), "has ended");
    }

    @Test
    void theTypeScriptSdkClientAnswersWhatTheBackendAsksWithItsOwnHandlers() throws Exception {
        requirePeer(NpmPeers.modernClient(), "@modelcontextprotocol/client");
        String plan = "{\"key\":\"bot-1\",\"tool\":\"testing__ask\",\"arguments\":{\"asks\":[" + SAMPLE + "," + FORM + "," + URL + "," + ROOTS + "]},"
                + "\"answers\":{\"sampling\":\"Paris\",\"elicitation\":{\"login\":\"sdk-user\"},\"roots\":[{\"uri\":\"file:///sdk\"}]}}";
        Process node = new ProcessBuilder(NpmPeers.node().orElseThrow().toString(), NpmPeers.modernClient().orElseThrow().toString(),
                gateway.baseUri() + "/mcp", plan).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        JsonNode seen;
        try {
            assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("the SDK client finished").isTrue();
            String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(node.exitValue()).as(out).isZero();
            seen = read(out.lines().reduce((first, last) -> last).orElseThrow());
        } finally {
            node.destroyForcibly();
        }
        assertThat(seen.path("asked")).extracting(asked -> asked.path("method").asText())
                .containsExactly("sampling/createMessage", "elicitation/create", "elicitation/create", "roots/list");
        assertThat(seen.path("asked").path(2).path("params").path("url").asText()).isEqualTo("https://auth.example.com/start");
        JsonNode backendHeard = read(seen.path("call").path("content").path(0).path("text").asText());
        assertThat(backendHeard.path(0).path("result").path("content").path("text").asText()).isEqualTo("Paris");
        assertThat(backendHeard.path(1).path("result").path("content").path("login").asText()).isEqualTo("sdk-user");
        assertThat(backendHeard.path(2).path("result").path("action").asText()).isEqualTo("accept");
        assertThat(backendHeard.path(3).path("result").path("roots").path(0).path("uri").asText()).isEqualTo("file:///sdk");
    }

    @Test
    void serverEverythingOverHttpSamplesAndElicitsThroughRetries() throws Exception {
        requirePeer(NpmPeers.everythingServer(), "server-everything");
        try (EverythingOverHttp everything = new EverythingOverHttp(NpmPeers.node().orElseThrow(), NpmPeers.everythingServer().orElseThrow(),
                "streamableHttp", home.resolve("everything.log"));
                TestingGateway behind = TestingGateway.start(home.resolve("everything"), """
                        backends:
                          - id: everything
                            transport: http
                            url: %s/mcp
                        """.formatted(everything.url())).awaitReady(Duration.ofSeconds(60))) {
            ModernMcp client = new ModernMcp(behind, null, "/servers/everything/mcp").declaring(CAPABILITIES);
            String sampling = "{\"name\":\"trigger-sampling-request\",\"arguments\":{\"prompt\":\"through mcpgw\",\"maxTokens\":5}}";
            ModernMcp.Answer first = send(client, "tools/call", (ObjectNode) read(sampling));
            JsonNode requests = interim(first);
            String key = requests.fieldNames().next();
            assertThat(requests.path(key).path("method").asText()).isEqualTo("sampling/createMessage");
            assertThat(requests.path(key).path("params").path("messages").path(0).path("content").path("text").asText())
                    .isEqualTo("Resource trigger-sampling-request context: through mcpgw");
            ModernMcp.Answer sampled = retry(client, "tools/call", sampling, first.result().path("requestState").asText(),
                    "{\"" + key + "\":" + SAMPLED + "}");
            assertThat(sampled.result().path("resultType").asText()).as(sampled.response().toString()).isEqualTo("complete");
            assertThat(sampled.result().path("content").path(0).path("text").asText()).contains("Paris");

            String elicitation = "{\"name\":\"trigger-elicitation-request\",\"arguments\":{}}";
            ModernMcp.Answer asked = send(client, "tools/call", (ObjectNode) read(elicitation));
            JsonNode form = interim(asked);
            String formKey = form.fieldNames().next();
            assertThat(form.path(formKey).path("method").asText()).isEqualTo("elicitation/create");
            assertThat(form.path(formKey).path("params").path("requestedSchema").path("properties").has("name")).isTrue();
            ModernMcp.Answer elicited = retry(client, "tools/call", elicitation, asked.result().path("requestState").asText(),
                    "{\"" + formKey + "\":{\"action\":\"accept\",\"content\":{\"name\":\"Ada\"}}}");
            assertThat(elicited.result().path("content").toString()).as(elicited.response().toString()).contains("- Name: Ada");
        }
    }

    /** A test with an npm peer runs wherever node and the peer are, and always under CI. */
    private static void requirePeer(Optional<Path> peer, String name) {
        if (peer.isEmpty()) {
            if (NpmPeers.required()) {
                fail("CI=true but node or " + name + " is missing (testkit/npm)");
            }
            Assumptions.abort("node is not installed here; this test runs wherever it is, and always under CI");
        }
    }

    private static void assertRefused(ModernMcp.Answer answer, String why) {
        assertThat(answer.error().path("code").asInt()).as(answer.response().toString()).isEqualTo(-32602);
        assertThat(answer.error().path("message").asText()).contains(why);
        assertThat(answer.response().path("id").isNull()).isFalse();
    }

    private static ObjectNode open(String state) throws IOException {
        byte[] plain = new ClusterSeal(base64(FIRST_KEY)).open("mcpgw requestState v1", Base64.getUrlDecoder().decode(state)).orElseThrow();
        return (ObjectNode) JsonRpc.MAPPER.readTree(plain);
    }

    private static String sealed(byte[] key, ObjectNode state) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(new ClusterSeal(base64(key)).seal("mcpgw requestState v1",
                JsonRpc.write(state).getBytes(StandardCharsets.UTF_8)));
    }
}
