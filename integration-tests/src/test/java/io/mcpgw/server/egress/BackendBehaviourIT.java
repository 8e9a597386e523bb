package io.mcpgw.server.egress;

import static io.mcpgw.server.ingress.McpClientITSupport.call;
import static io.mcpgw.server.ingress.McpClientITSupport.client;
import static io.mcpgw.server.ingress.McpClientITSupport.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.mcpgw.server.demo.DemoBackend;
import io.mcpgw.testkit.JavaCommand;
import io.mcpgw.testkit.TestingGateway;
import io.mcpgw.testkit.TestingMcpBackend;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the gateway lives with real backends that change, fail, crash, stall and misbehave. */
class BackendBehaviourIT {

    private static final Duration READY = Duration.ofSeconds(60);
    private static final ExecutorService EXECUTOR = Executors.newVirtualThreadPerTaskExecutor();

    @TempDir
    Path home;

    /** A gateway with one backend, {@code testing}, a {@link TestingMcpBackend} with these extra keys. */
    private TestingGateway testingBackend(String extraKeys) throws InterruptedException {
        StringBuilder keys = new StringBuilder();
        extraKeys.lines().forEach(key -> keys.append("    ").append(key).append('\n'));
        return TestingGateway.start(home, """
                backends:
                  - id: testing
                    transport: stdio
                %s    command: %s
                """.formatted(keys, JavaCommand.yaml(TestingMcpBackend.class))).awaitReady(READY);
    }

    @Test
    void listChangedReachesClientsAndTheNewToolIsCallable() throws Exception {
        try (TestingGateway gateway = testingBackend("")) {
            List<List<String>> announced = new CopyOnWriteArrayList<>();
            try (McpSyncClient watcher = client(gateway, "/mcp", tools -> announced.add(tools.stream().map(McpSchema.Tool::name).toList()));
                    McpSyncClient caller = client(gateway, "/mcp", tools -> { })) {
                assertThat(text(caller.callTool(call("testing__add_tool", Map.of("name", "fresh"))))).isEqualTo("added");

                await().atMost(Duration.ofSeconds(20)).until(() -> announced.stream().anyMatch(names -> names.contains("testing__fresh")));
                assertThat(caller.listTools().tools()).extracting(McpSchema.Tool::name).contains("testing__fresh");
                assertThat(text(caller.callTool(call("testing__fresh", Map.of())))).isEqualTo("extra fresh");
            }
        }
    }

    @Test
    void backendThatIsDownIsLeftOutAndJoinsWhenItComesUp() throws Exception {
        Path marker = home.resolve("late-backend-may-start");
        Path script = Files.writeString(home.resolve("late-backend"), "#!/bin/sh\n[ -f '" + marker + "' ] || { echo 'not yet' >&2; exit 1; }\nexec "
                + String.join(" ", JavaCommand.of(TestingMcpBackend.class).stream().map(part -> "'" + part + "'").toList()) + "\n");
        script.toFile().setExecutable(true);
        try (TestingGateway gateway = TestingGateway.start(home, """
                backends:
                  - id: demo
                    transport: stdio
                    command: %s
                  - id: late
                    transport: stdio
                    command: ["%s"]
                """.formatted(JavaCommand.yaml(DemoBackend.class), script)).awaitReady(READY)) {
            assertThat(gateway.gateway().backends().get("late").state()).isEqualTo(BackendStatus.State.FAILED);
            List<List<String>> announced = new CopyOnWriteArrayList<>();
            try (McpSyncClient client = client(gateway, "/mcp", tools -> announced.add(tools.stream().map(McpSchema.Tool::name).toList()))) {
                assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).containsExactly("demo__echo", "demo__add", "demo__time");
                assertThat(text(client.callTool(call("demo__echo", Map.of("text", "still serving"))))).isEqualTo("still serving");
                assertThatThrownBy(() -> client.callTool(call("late__echo", Map.of("text", "x")))).isInstanceOf(McpError.class)
                        .hasMessageContaining("Unknown tool: late__echo");

                Files.createFile(marker);

                await().atMost(Duration.ofSeconds(45)).until(() -> announced.stream().anyMatch(names -> names.contains("late__echo")));
                assertThat(gateway.gateway().backends().get("late").state()).isEqualTo(BackendStatus.State.UP);
                assertThat(text(client.callTool(call("late__echo", Map.of("text", "joined"))))).isEqualTo("joined");
            }
        }
    }

    @Test
    void crashedChildIsReplacedOnTheNextCall() throws Exception {
        try (TestingGateway gateway = testingBackend("");
                McpSyncClient client = client(gateway, "/mcp", tools -> { })) {
            long before = Long.parseLong(text(client.callTool(call("testing__pid", Map.of()))));

            assertThatThrownBy(() -> client.callTool(call("testing__crash", Map.of())))
                    .isInstanceOf(McpError.class)
                    .satisfies(error -> assertThat(((McpError) error).getJsonRpcError().code()).isEqualTo(-32010))
                    .hasMessageContaining("exited with code 3");
            assertThat(ProcessHandle.of(before).map(ProcessHandle::isAlive).orElse(false)).isFalse();

            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> Long.parseLong(text(client.callTool(call("testing__pid", Map.of())))) != before);
            assertThat(text(client.callTool(call("testing__echo", Map.of("text", "again"))))).isEqualTo("again");
        }
    }

    @Test
    void slowBackendTimesOutWithADistinctErrorAndOthersAreNotHeldUp() throws Exception {
        try (TestingGateway gateway = testingBackend("requestTimeout: 1s");
                McpSyncClient patient = client(gateway, "/mcp", tools -> { });
                McpSyncClient other = client(gateway, "/mcp", tools -> { })) {
            CompletableFuture<Throwable> slow = CompletableFuture.supplyAsync(() -> {
                try {
                    patient.callTool(call("testing__slow", Map.of("millis", 5000)));
                    return null;
                } catch (McpError e) {
                    return e;
                }
            }, EXECUTOR);
            Thread.sleep(200);
            assertThat(text(other.callTool(call("testing__echo", Map.of("text", "not blocked"))))).isEqualTo("not blocked");
            assertThat(slow).isNotDone();
            Throwable timeout = slow.get();
            assertThat(timeout).isInstanceOf(McpError.class).hasMessageContaining("did not answer tools/call within 1000 ms");
            assertThat(((McpError) timeout).getJsonRpcError().code()).isEqualTo(-32011);
        }
    }

    @Test
    void garbageFromABackendIsIgnoredAndTheCallStillAnswered() throws Exception {
        try (TestingGateway gateway = testingBackend("");
                McpSyncClient client = client(gateway, "/mcp", tools -> { })) {
            assertThat(text(client.callTool(call("testing__garbage", Map.of())))).isEqualTo("after garbage");
            assertThat(text(client.callTool(call("testing__echo", Map.of("text", "fine"))))).isEqualTo("fine");
        }
    }

    @Test
    void processPoolSpreadsConcurrentCallsOverItsChildren() throws Exception {
        // Only a shared pool spreads the calls of every session over its children; isolated sessions get one each.
        try (TestingGateway gateway = testingBackend("maxProcesses: 2\nisolation: shared");
                McpSyncClient first = client(gateway, "/mcp", tools -> { });
                McpSyncClient second = client(gateway, "/mcp", tools -> { })) {
            Set<String> pids = new HashSet<>();
            for (int i = 0; i < 5; i++) {
                CompletableFuture<String> busy = CompletableFuture.supplyAsync(
                        () -> text(first.callTool(call("testing__slow", Map.of("millis", 400)))), EXECUTOR);
                Thread.sleep(100);
                pids.add(text(second.callTool(call("testing__pid", Map.of()))));
                assertThat(busy.join()).isEqualTo("slept 400");
                pids.add(text(second.callTool(call("testing__pid", Map.of()))));
            }
            assertThat(pids).as("processes serving the backend").hasSize(2);
        }
    }
}
