package io.mcpgw.server.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.testkit.EverythingOverHttp;
import io.mcpgw.testkit.ModernMcp;
import io.mcpgw.testkit.NpmPeers;
import io.mcpgw.testkit.TestingBackendConfig;
import io.mcpgw.testkit.TestingConfig;
import io.mcpgw.testkit.TestingGateway;
import java.net.URI;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tasks extension of MCP 2026-07-28 (SEP-2663) at the gateway, spoken raw by a modern client, in front of
 * server-everything over Streamable HTTP, a 2025-11-25 backend whose {@code simulate-research-query} requires a task:
 * the handle, polling to the result, cancellation, sealed ids no other caller can use or alter, the mirrored task id,
 * and the ordinary result for a client without the extension.
 */
class ModernTasksIT {

    private static final String EXTENSION = "{\"extensions\":{\"io.modelcontextprotocol/tasks\":{}}}";
    private static final String ENDPOINT = "/servers/everything/mcp";
    private static final long POLL_MILLIS = 200;
    private static final int MAX_POLLS = 150;

    @TempDir
    static Path home;

    private static EverythingOverHttp everything;
    private static TestingGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        if (NpmPeers.everythingServer().isEmpty()) {
            if (NpmPeers.required()) {
                fail("CI=true but node or server-everything is missing (testkit/npm)");
            }
            Assumptions.abort("node is not installed here; these tests run wherever it is, and always under CI");
        }
        everything = new EverythingOverHttp(NpmPeers.node().orElseThrow(), NpmPeers.everythingServer().orElseThrow(), "streamableHttp",
                home.resolve("everything.log"));
        gateway = TestingConfig.gateway().apiKey("alice", "open", "alice").apiKey("mallory", "open", "mallory").tenant("open")
                .backend(TestingBackendConfig.http("everything", URI.create(everything.url() + "/mcp")))
                .startReady(home);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (gateway != null) {
            gateway.close();
        }
        if (everything != null) {
            everything.close();
        }
    }

    private static ModernMcp client(String key) {
        return new ModernMcp(gateway, key, ENDPOINT).declaring(EXTENSION);
    }

    private static JsonNode created(ModernMcp client, String topic) {
        ModernMcp.Answer answer = client.call("simulate-research-query", "{\"topic\":\"" + topic + "\"}");
        assertThat(answer.status()).as(answer.response().toString()).isEqualTo(200);
        JsonNode task = answer.result();
        assertThat(task.path("resultType").asText()).as(task.toString()).isEqualTo("task");
        assertThat(task.path("status").asText()).isEqualTo("working");
        assertThat(task.path("ttlMs").asLong()).isEqualTo(300_000);
        assertThat(task.path("pollIntervalMs").asLong()).isEqualTo(1000);
        assertThat(task.has("createdAt")).isTrue();
        return task;
    }

    private static ModernMcp.Answer get(ModernMcp client, String taskId) {
        return client.request("tasks/get", "{\"taskId\":\"" + taskId + "\"}");
    }

    /** Polls {@code tasks/get} until the task's status is {@code wanted}; bounded in count. */
    private static JsonNode pollUntil(ModernMcp client, String taskId, String wanted) throws InterruptedException {
        JsonNode task = null;
        for (int poll = 0; poll < MAX_POLLS; poll++) {
            ModernMcp.Answer answer = get(client, taskId);
            assertThat(answer.status()).as(answer.response().toString()).isEqualTo(200);
            task = answer.result();
            assertThat(task.path("resultType").asText()).isEqualTo("complete");
            assertThat(task.path("taskId").asText()).isEqualTo(taskId);
            if (task.path("status").asText().equals(wanted)) {
                return task;
            }
            Thread.sleep(POLL_MILLIS);
        }
        throw new AssertionError("the task did not become " + wanted + ": " + task);
    }

    @Test
    void discoverAdvertisesTheExtension() {
        JsonNode result = client("alice").request("server/discover", "{}").result();
        assertThat(result.path("capabilities").path("extensions").has("io.modelcontextprotocol/tasks")).as(result.toString()).isTrue();
        assertThat(result.path("capabilities").has("tasks")).as("no 2025-11-25 tasks capability in the modern era").isFalse();
    }

    @Test
    void aDeclaringClientGetsAHandleAndPollsItToTheResult() throws InterruptedException {
        ModernMcp alice = client("alice");
        String taskId = created(alice, "tides").path("taskId").asText();
        assertThat(taskId).doesNotContain("everything");

        JsonNode done = pollUntil(alice, taskId, "completed");
        assertThat(done.path("result").path("content").path(0).path("text").asText()).contains("# Research Report: tides");
        assertThat(done.path("result").path("_meta").has("io.modelcontextprotocol/related-task")).isFalse();
        assertThat(done.path("_meta").path("io.modelcontextprotocol/serverInfo").path("name").asText()).isEqualTo("mcpgw/everything");
    }

    @Test
    void whatTheBackendAsksDuringTheTaskIsAnsweredWithTasksUpdate() throws InterruptedException {
        ModernMcp alice = new ModernMcp(gateway, "alice", ENDPOINT)
                .declaring("{\"elicitation\":{},\"extensions\":{\"io.modelcontextprotocol/tasks\":{}}}");
        ModernMcp.Answer answer = alice.call("simulate-research-query", "{\"topic\":\"python\",\"ambiguous\":true}");
        String taskId = answer.result().path("taskId").asText();
        assertThat(taskId).as(answer.response().toString()).isNotEmpty();

        JsonNode waiting = null;
        for (int poll = 0; poll < MAX_POLLS && (waiting == null || waiting.path("inputRequests").isEmpty()); poll++) {
            Thread.sleep(POLL_MILLIS);
            waiting = pollUntil(alice, taskId, "input_required");
        }
        assertThat(waiting.path("inputRequests").size()).as(waiting.toString()).isEqualTo(1);
        String key = waiting.path("inputRequests").fieldNames().next();
        JsonNode asked = waiting.path("inputRequests").path(key);
        assertThat(asked.path("method").asText()).isEqualTo("elicitation/create");
        assertThat(asked.path("params").path("message").asText()).contains("python");
        assertThat(asked.path("params").path("_meta").has("io.modelcontextprotocol/related-task")).isFalse();

        ModernMcp.Answer updated = alice.request("tasks/update", "{\"taskId\":\"" + taskId + "\",\"inputResponses\":{\"" + key
                + "\":{\"action\":\"accept\",\"content\":{\"interpretation\":\"snake\"}}}}");
        assertThat(updated.result().path("resultType").asText()).as(updated.response().toString()).isEqualTo("complete");

        JsonNode done = pollUntil(alice, taskId, "completed");
        assertThat(done.path("result").path("content").path(0).path("text").asText()).contains("Research Report: python (snake)");
    }

    @Test
    void aRunningTaskIsCancelled() throws InterruptedException {
        ModernMcp alice = client("alice");
        String taskId = created(alice, "glaciers").path("taskId").asText();

        ModernMcp.Answer cancelled = alice.request("tasks/cancel", "{\"taskId\":\"" + taskId + "\"}");
        assertThat(cancelled.status()).as(cancelled.response().toString()).isEqualTo(200);
        assertThat(cancelled.result().path("resultType").asText()).isEqualTo("complete");
        assertThat(cancelled.result().has("status")).as("an acknowledgement only").isFalse();

        JsonNode after = pollUntil(alice, taskId, "cancelled");
        assertThat(after.has("result")).isFalse();
    }

    @Test
    void anotherCallersTaskIdIsRefused() {
        String taskId = created(client("alice"), "volcanoes").path("taskId").asText();
        ModernMcp mallory = client("mallory");
        for (String method : new String[] {"tasks/get", "tasks/cancel"}) {
            ModernMcp.Answer refused = mallory.request(method, "{\"taskId\":\"" + taskId + "\"}");
            assertThat(refused.error().path("code").asInt()).as(refused.response().toString()).isEqualTo(-32602);
            assertThat(refused.error().path("message").asText()).contains("not this caller's");
        }
        ModernMcp.Answer update = mallory.request("tasks/update", "{\"taskId\":\"" + taskId + "\",\"inputResponses\":{}}");
        assertThat(update.error().path("code").asInt()).isEqualTo(-32602);
        assertThat(get(client("alice"), taskId).result().path("status").asText()).as("still alice's, still running").isEqualTo("working");
    }

    @Test
    void aTamperedOrMadeUpTaskIdIsRefused() {
        String taskId = created(client("alice"), "comets").path("taskId").asText();
        int middle = taskId.length() / 2;
        String tampered = taskId.substring(0, middle) + (taskId.charAt(middle) == 'A' ? 'B' : 'A') + taskId.substring(middle + 1);
        for (String forged : new String[] {tampered, "task-1", "not base64 !"}) {
            ModernMcp.Answer refused = get(client("alice"), forged);
            assertThat(refused.status()).isEqualTo(200);
            assertThat(refused.error().path("code").asInt()).as(refused.response().toString()).isEqualTo(-32602);
            assertThat(refused.error().path("message").asText()).startsWith("Invalid task id");
        }
    }

    @Test
    void theTaskIdHeaderMustMatchTheBody() {
        String taskId = created(client("alice"), "reefs").path("taskId").asText();
        ModernMcp.Answer mismatched = client("alice").request("tasks/get", "{\"taskId\":\"" + taskId + "\"}", Map.of("Mcp-Name", "another"));
        assertThat(mismatched.status()).isEqualTo(400);
        assertThat(mismatched.error().path("code").asInt()).isEqualTo(-32020);
        ModernMcp.Answer missing = client("alice").request("tasks/get", "{\"taskId\":\"" + taskId + "\"}", Collections.singletonMap("Mcp-Name", null));
        assertThat(missing.error().path("code").asInt()).isEqualTo(-32020);
    }

    @Test
    void tasksUpdateIsAcknowledgedAndTasksResultIsNotServed() {
        ModernMcp alice = client("alice");
        String taskId = created(alice, "dunes").path("taskId").asText();
        ModernMcp.Answer updated = alice.request("tasks/update", "{\"taskId\":\"" + taskId + "\",\"inputResponses\":{\"unknown\":{}}}");
        assertThat(updated.result().path("resultType").asText()).as(updated.response().toString()).isEqualTo("complete");
        ModernMcp.Answer result = alice.request("tasks/result", "{\"taskId\":\"" + taskId + "\"}");
        assertThat(result.status()).isEqualTo(404);
        assertThat(result.error().path("code").asInt()).isEqualTo(-32601);
    }

    @Test
    void theTasksMethodsNeedTheExtension() {
        String taskId = created(client("alice"), "tundra").path("taskId").asText();
        ModernMcp undeclared = new ModernMcp(gateway, "alice", ENDPOINT);
        for (String method : new String[] {"tasks/get", "tasks/update", "tasks/cancel"}) {
            ModernMcp.Answer refused = undeclared.request(method, "{\"taskId\":\"" + taskId + "\",\"inputResponses\":{}}");
            assertThat(refused.status()).as(method).isEqualTo(400);
            assertThat(refused.error().path("code").asInt()).as(method).isEqualTo(-32021);
            assertThat(refused.error().path("data").path("requiredCapabilities").path("extensions").has("io.modelcontextprotocol/tasks"))
                    .as(method).isTrue();
        }
    }

    @Test
    void aClientWithoutTheExtensionGetsTheOrdinaryResult() {
        ModernMcp.Answer answer = new ModernMcp(gateway, "alice", ENDPOINT).call("simulate-research-query", "{\"topic\":\"moons\",\"task\":{}}");
        assertThat(answer.status()).as(answer.response().toString()).isEqualTo(200);
        assertThat(answer.result().path("resultType").asText()).isEqualTo("complete");
        assertThat(answer.result().path("content").path(0).path("text").asText()).contains("# Research Report: moons");
        assertThat(answer.result().has("taskId")).isFalse();
    }
}
