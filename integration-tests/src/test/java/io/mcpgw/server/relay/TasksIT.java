package io.mcpgw.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.server.ingress.RawWebSocket;
import io.mcpgw.testkit.TestingBackendConfig;
import io.mcpgw.testkit.TestingConfig;
import io.mcpgw.testkit.TestingGateway;
import io.mcpgw.testkit.TestingMcpBackend;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tasks (2025-11-25) through the gateway, spoken raw over its WebSocket endpoint: two backends whose task ids
 * collide ({@link TestingMcpBackend} counts from {@code task-1}), sessions sharing one backend connection, a task
 * that asks its client something, and one that is cancelled.
 */
class TasksIT {

    private static final String RELATED_TASK = "io.modelcontextprotocol/related-task";

    @TempDir
    static Path home;

    private static TestingGateway gateway;

    @BeforeAll
    static void startGateway() throws InterruptedException {
        gateway = TestingConfig.gateway()
                .backend(TestingBackendConfig.stdio("one", TestingMcpBackend.class))
                .backend(TestingBackendConfig.stdio("two", TestingMcpBackend.class))
                .startReady(home);
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    /** A session over WebSocket; {@code capabilities} is the client's, as JSON. */
    private static RawWebSocket session(String capabilities) throws Exception {
        RawWebSocket socket = RawWebSocket.connect(URI.create(gateway.baseUri().toString().replaceFirst("^http", "ws") + "/ws"));
        socket.send("""
                {"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":%s,
                 "clientInfo":{"name":"tasks","version":"1"}}}""".formatted(capabilities));
        JsonNode initialized = socket.next();
        assertThat(initialized.path("result").path("capabilities").path("tasks").path("requests").path("tools").has("call")).isTrue();
        socket.send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        return socket;
    }

    private static String request(int id, String method, String params) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}";
    }

    /** Reads until a message that {@code wanted} accepts; the others it passed are kept in {@code seen}. */
    private static JsonNode until(RawWebSocket socket, Predicate<JsonNode> wanted, List<JsonNode> seen) throws Exception {
        while (true) {
            JsonNode message = socket.next();
            if (wanted.test(message)) {
                return message;
            }
            seen.add(message);
        }
    }

    private static Predicate<JsonNode> answerTo(int id) {
        return message -> message.path("id").asInt(-1) == id && !message.has("method");
    }

    private static String created(RawWebSocket socket, int id, String tool, String arguments) throws Exception {
        return created(socket, id, tool, arguments, new ArrayList<>());
    }

    /** As above; what arrives before the answer (a status of a task created earlier) is kept in {@code seen}. */
    private static String created(RawWebSocket socket, int id, String tool, String arguments, List<JsonNode> seen) throws Exception {
        socket.send(request(id, "tools/call", "{\"name\":\"" + tool + "\",\"arguments\":" + arguments + ",\"task\":{\"ttl\":60000}}"));
        JsonNode task = until(socket, answerTo(id), seen).path("result").path("task");
        assertThat(task.path("status").asText()).isEqualTo("working");
        return task.path("taskId").asText();
    }

    @Test
    void tasksOfTwoBackendsWithTheSameIdsStayApart() throws Exception {
        try (RawWebSocket socket = session("{}")) {
            // The second backend's child starts for the session's first call there, which may outlast the first task.
            List<JsonNode> seen = new ArrayList<>();
            String first = created(socket, 1, "one__slow", "{\"millis\":300}", seen);
            String second = created(socket, 2, "two__slow", "{\"millis\":100}", seen);
            assertThat(first).isNotEqualTo(second).doesNotStartWith("task-");

            socket.send(request(3, "tasks/result", "{\"taskId\":\"" + first + "\"}"));
            JsonNode result = until(socket, answerTo(3), seen).path("result");
            assertThat(result.path("content").get(0).path("text").asText()).isEqualTo("slept 300");
            assertThat(result.path("_meta").path(RELATED_TASK).path("taskId").asText()).isEqualTo(first);

            socket.send(request(4, "tasks/result", "{\"taskId\":\"" + second + "\"}"));
            assertThat(until(socket, answerTo(4), seen).path("result").path("content").get(0).path("text").asText()).isEqualTo("slept 100");

            assertThat(seen).filteredOn(message -> message.path("method").asText().equals("notifications/tasks/status"))
                    .extracting(message -> message.path("params").path("taskId").asText() + " " + message.path("params").path("status").asText())
                    .containsExactlyInAnyOrder(first + " completed", second + " completed");

            socket.send(request(5, "tasks/get", "{\"taskId\":\"" + second + "\"}"));
            JsonNode got = until(socket, answerTo(5), seen).path("result");
            assertThat(got.path("taskId").asText()).isEqualTo(second);
            assertThat(got.path("status").asText()).isEqualTo("completed");

            socket.send(request(6, "tasks/list", "{}"));
            assertThat(until(socket, answerTo(6), seen).path("result").path("tasks")).extracting(task -> task.path("taskId").asText())
                    .containsExactly(first, second);
        }
    }

    @Test
    void aSessionReachesOnlyItsOwnTasksOnASharedConnection() throws Exception {
        try (RawWebSocket alice = session("{}"); RawWebSocket bob = session("{}")) {
            String alices = created(alice, 1, "one__echo", "{\"text\":\"mine\"}");

            bob.send(request(2, "tasks/get", "{\"taskId\":\"" + alices + "\"}"));
            JsonNode refused = until(bob, answerTo(2), new ArrayList<>());
            assertThat(refused.path("error").path("code").asInt()).isEqualTo(-32602);
            assertThat(refused.path("error").path("message").asText()).startsWith("Unknown task: " + alices);

            bob.send(request(3, "tasks/list", "{}"));
            assertThat(until(bob, answerTo(3), new ArrayList<>()).path("result").path("tasks")).as("the backend's own list has alice's task").isEmpty();

            alice.send(request(4, "tasks/result", "{\"taskId\":\"" + alices + "\"}"));
            assertThat(until(alice, answerTo(4), new ArrayList<>()).path("result").path("content").get(0).path("text").asText()).isEqualTo("mine");
        }
    }

    @Test
    void progressOfATaskArrivesUnderTheClientsTokenAfterTheCallIsAnswered() throws Exception {
        try (RawWebSocket socket = session("{}")) {
            socket.send(request(1, "tools/call", """
                    {"name":"two__progress","arguments":{"steps":4},"task":{},"_meta":{"progressToken":"mine"}}"""));
            List<JsonNode> seen = new ArrayList<>();
            String task = until(socket, answerTo(1), seen).path("result").path("task").path("taskId").asText();
            socket.send(request(2, "tasks/result", "{\"taskId\":\"" + task + "\"}"));
            assertThat(until(socket, answerTo(2), seen).path("result").path("content").get(0).path("text").asText()).isEqualTo("done 4");
            assertThat(seen).filteredOn(message -> message.path("method").asText().equals("notifications/progress"))
                    .extracting(message -> message.path("params").path("progressToken").asText() + " " + message.path("params").path("progress").asInt())
                    .containsExactly("mine 1", "mine 2", "mine 3", "mine 4");
        }
    }

    @Test
    void aTaskAsksItsOwnClientAndCanBeCancelled() throws Exception {
        try (RawWebSocket socket = session("{\"elicitation\":{\"form\":{}}}")) {
            String asking = created(socket, 1, "one__ask", """
                    {"method":"elicitation/create","params":{"mode":"form","message":"colour?",
                     "requestedSchema":{"type":"object","properties":{"colour":{"type":"string"}}}}}""");
            List<JsonNode> seen = new ArrayList<>();
            JsonNode elicitation = until(socket, message -> message.path("method").asText().equals("elicitation/create"), seen);
            assertThat(elicitation.path("params").path("_meta").path(RELATED_TASK).path("taskId").asText()).isEqualTo(asking);
            socket.send("{\"jsonrpc\":\"2.0\",\"id\":\"" + elicitation.path("id").asText()
                    + "\",\"result\":{\"action\":\"accept\",\"content\":{\"colour\":\"teal\"}}}");

            socket.send(request(2, "tasks/result", "{\"taskId\":\"" + asking + "\"}"));
            JsonNode answered = until(socket, answerTo(2), seen);
            assertThat(answered.path("result").path("content").get(0).path("text").asText()).contains("\"colour\":\"teal\"");
            assertThat(seen).filteredOn(message -> message.path("method").asText().equals("notifications/tasks/status"))
                    .extracting(message -> message.path("params").path("status").asText()).startsWith("input_required");

            String slow = created(socket, 3, "one__slow", "{\"millis\":20000}");
            socket.send(request(4, "tasks/cancel", "{\"taskId\":\"" + slow + "\"}"));
            JsonNode cancelled = until(socket, answerTo(4), seen).path("result");
            assertThat(cancelled.path("taskId").asText()).isEqualTo(slow);
            assertThat(cancelled.path("status").asText()).isEqualTo("cancelled");
            socket.send(request(5, "tasks/result", "{\"taskId\":\"" + slow + "\"}"));
            assertThat(until(socket, answerTo(5), seen).path("error").path("code").asInt()).isEqualTo(-32800);
        }
    }
}
