package io.mcpgw.server.egress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.testkit.JavaCommand;
import io.mcpgw.testkit.RawMcp;
import io.mcpgw.testkit.TestingGateway;
import io.mcpgw.testkit.TestingHttpMcpBackend;
import io.mcpgw.testkit.TestingMcpBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stdio child killed with SIGKILL under steady load. */
class ChaosIT {

    private static final int CLIENTS = 8;

    @TempDir
    Path home;

    @Test
    void killingAChildUnderLoadFailsOnlyTheCallsInFlightAndRunsNoCallTwice() throws Exception {
        Path record = home.resolve("executed.txt");
        try (TestingGateway gateway = TestingGateway.start(home, """
                backends:
                  - id: victim
                    transport: stdio
                    command: %s
                    env: { TESTING_RECORD_FILE: "%s" }
                    maxProcesses: 2
                    circuitBreaker: { failures: 1000 }
                """.formatted(JavaCommand.yaml(TestingMcpBackend.class), record)).awaitReady(Duration.ofSeconds(60))) {
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger marks = new AtomicInteger();
            Map<String, JsonNode> answers = new ConcurrentHashMap<>();
            List<Future<?>> clients = new ArrayList<>();
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < CLIENTS; i++) {
                    clients.add(threads.submit(() -> {
                        RawMcp client = new RawMcp(gateway, null, "/mcp").initialized();
                        while (running.get()) {
                            String mark = "call-" + marks.incrementAndGet();
                            answers.put(mark, client.call("victim__slow", "{\"millis\":40,\"mark\":\"" + mark + "\"}"));
                        }
                        return null;
                    }));
                }
                Thread.sleep(1000);
                RawMcp probe = new RawMcp(gateway, null, "/mcp").initialized();
                List<Long> killed = new ArrayList<>();
                for (int round = 0; round < 2; round++) {
                    long pid = Long.parseLong(probe.call("victim__pid", "{}").path("result").path("content").path(0).path("text").asText());
                    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
                    killed.add(pid);
                    Thread.sleep(1500);
                }
                running.set(false);
                for (Future<?> client : clients) {
                    client.get(30, TimeUnit.SECONDS);
                }

                long after = Long.parseLong(probe.call("victim__pid", "{}").path("result").path("content").path(0).path("text").asText());
                assertThat(killed).doesNotContain(after);
            }

            List<JsonNode> failed = answers.values().stream().filter(answer -> answer.has("error")).toList();
            long succeeded = answers.values().stream().filter(answer -> answer.has("result")).count();
            assertThat(failed).as("only calls in flight at a kill fail").isNotEmpty().hasSizeLessThanOrEqualTo(2 * CLIENTS);
            assertThat(failed).allSatisfy(answer -> {
                assertThat(answer.path("error").path("code").asInt()).isEqualTo(-32010);
                assertThat(answer.path("error").path("message").asText()).contains("victim");
            });
            assertThat(succeeded).as("calls keep succeeding around the kills").isGreaterThan(10L * CLIENTS);

            Map<String, Integer> executions = new HashMap<>();
            Files.readAllLines(record).forEach(mark -> executions.merge(mark, 1, Integer::sum));
            assertThat(executions.values()).as("no call ran twice").allMatch(count -> count == 1);
            answers.forEach((mark, answer) -> {
                if (answer.has("result")) {
                    assertThat(executions).as("a call answered ran once").containsEntry(mark, 1);
                }
            });
        }
    }

    @Test
    void aCallTheBackendRefusedUnreadIsSentOnceMoreOnANewSessionAndRunsOnce() throws Exception {
        try (TestingHttpMcpBackend backend = new TestingHttpMcpBackend();
                TestingGateway gateway = TestingGateway.start(home, """
                        backends:
                          - id: remote
                            transport: http
                            url: %s
                        """.formatted(backend.uri())).awaitReady(Duration.ofSeconds(60))) {
            RawMcp client = new RawMcp(gateway, null, "/mcp").initialized();
            assertThat(client.call("remote__echo", "{\"text\":\"before\"}").has("result")).isTrue();

            backend.forgetSessions();
            JsonNode answer = client.call("remote__echo", "{\"text\":\"after a restart\"}");
            assertThat(answer.path("result").path("content").path(0).path("text").asText())
                    .as("a 404 for the session proves the call was not run: it goes again on a new session: " + answer)
                    .isEqualTo("after a restart");
            assertThat(backend.calls()).as("each call ran once").isEqualTo(2);
        }
    }
}
