package io.mcpgw.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpgw.testkit.TestingHttpMcpBackend;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The audit journal's promise, on the built distribution run as its own process: every call a client got an answer
 * for has its start and complete events in the sink exactly once, even after a kill -9, and a sink that cannot write
 * loses nothing across kills and stops once it can again.
 */
class AuditJournalIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CONCURRENCY = 16;

    @TempDir
    Path home;

    private TestingHttpMcpBackend backend;
    private Process gateway;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    /** One answered call: the session it was made in and its JSON-RPC id. */
    private record Call(String session, String id) {}

    @BeforeEach
    void install() throws IOException {
        InstallTree.copyTo(home);
        backend = new TestingHttpMcpBackend();
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.destroyForcibly();
        }
        backend.close();
    }

    private String config(String auditPath) {
        return config(auditPath, "50ms");
    }

    private String config(String auditPath, String fsyncInterval) {
        return """
                server:
                  port: 0
                  shutdownTimeout: 2s
                audit:
                  - type: file
                    path: %s
                journal:
                  maxBackoff: 500ms
                  fsyncInterval: %s
                backends:
                  - id: echo
                    transport: http
                    url: %s
                """.formatted(auditPath, fsyncInterval, backend.uri());
    }

    /** Starts the gateway on {@code config} and returns its address once it listens and its backend is up. */
    private URI start(String config) throws Exception {
        Path file = home.resolve("conf/journal.yaml");
        Files.writeString(file, config);
        Files.deleteIfExists(home.resolve("var/run/mcpgw.json"));
        Path out = home.resolve("run-" + System.nanoTime() + ".out");
        int logged = log().length();
        gateway = new ProcessBuilder(home.resolve("bin/mcpgw").toString(), "run", "--config", file.toString())
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        Path state = home.resolve("var/run/mcpgw.json");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            assertThat(gateway.isAlive()).as(Files.readString(out)).isTrue();
            if (Files.exists(state) && Files.size(state) > 0 && log().indexOf("Backend 'echo' is up", logged) >= 0) {
                return URI.create(JSON.readTree(state.toFile()).path("http").asText());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the gateway did not come up within 60 s: " + Files.readString(out));
    }

    private String log() throws IOException {
        Path log = home.resolve("logs/mcpgw.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** SIGKILL: nothing of the gateway runs after it. */
    private void killNine() throws InterruptedException {
        gateway.destroyForcibly();
        assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(gateway.exitValue()).isEqualTo(137);
    }

    /** SIGTERM: the graceful stop. */
    private void terminate() throws InterruptedException {
        gateway.destroy();
        assertThat(gateway.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(gateway.exitValue()).isZero();
    }

    private String initialize(URI address) throws Exception {
        HttpResponse<String> response = http.send(post(address, null, """
                {"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},
                 "clientInfo":{"name":"journal-test","version":"1"}}}"""), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.headers().firstValue("Mcp-Session-Id").orElseThrow();
    }

    private static HttpRequest post(URI address, String session, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(address.resolve("/mcp")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .header("MCP-Protocol-Version", "2025-11-25").POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        return request.build();
    }

    /**
     * Makes up to {@code calls} tools/call from {@link #CONCURRENCY} sessions at once, numbered from {@code firstId},
     * and kills the gateway with SIGKILL once {@code killAfter} were answered (never, when it is larger); returns the
     * calls that got their answer.
     */
    private Set<Call> load(URI address, int calls, int firstId, int killAfter) throws Exception {
        Set<Call> answered = ConcurrentHashMap.newKeySet();
        AtomicInteger next = new AtomicInteger(firstId);
        int end = firstId + calls;
        try (ExecutorService workers = Executors.newFixedThreadPool(CONCURRENCY)) {
            List<Future<?>> running = new ArrayList<>();
            for (int worker = 0; worker < CONCURRENCY; worker++) {
                String session = initialize(address);
                running.add(workers.submit(() -> {
                    int id;
                    while ((id = next.getAndIncrement()) < end) {
                        try {
                            HttpResponse<String> response = http.send(post(address, session, """
                                    {"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"echo__echo","arguments":{"text":"call %d"}}}"""
                                    .formatted(id, id)), HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() == 200 && JSON.readTree(response.body()).has("result")) {
                                answered.add(new Call(session, Integer.toString(id)));
                            } else if (killAfter > calls) {
                                throw new AssertionError("call " + id + " answered " + response.statusCode() + " " + response.body());
                            }
                        } catch (IOException e) {
                            if (killAfter > calls) {
                                throw e;
                            }
                            return null;
                        }
                    }
                    return null;
                }));
            }
            while (killAfter <= calls && answered.size() < killAfter && running.stream().anyMatch(future -> !future.isDone())) {
                Thread.sleep(1);
            }
            if (killAfter <= calls) {
                killNine();
            }
            for (Future<?> worker : running) {
                worker.get(120, TimeUnit.SECONDS);
            }
        }
        return answered;
    }

    /** The events the file sink wrote for tools/calls, counted by call and type. */
    private static Map<Call, Map<String, Integer>> audited(Path file) throws IOException {
        Map<Call, Map<String, Integer>> events = new HashMap<>();
        if (!Files.exists(file)) {
            return events;
        }
        try (Stream<String> lines = Files.lines(file)) {
            for (String line : lines.toList()) {
                JsonNode event = JSON.readTree(line);
                if (event.path("tool").asText().equals("echo__echo")) {
                    events.computeIfAbsent(new Call(event.path("session").asText(), event.path("requestId").asText()), call -> new HashMap<>())
                            .merge(event.path("type").asText(), 1, Integer::sum);
                }
            }
        }
        return events;
    }

    /** Waits until every answered call has both events in the file, then until the file stops growing. */
    private static Map<Call, Map<String, Integer>> awaitAudited(Path file, Set<Call> answered) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Map<Call, Map<String, Integer>> events = audited(file);
        while (System.nanoTime() < deadline && !answered.stream().allMatch(call -> events.containsKey(call)
                && events.get(call).containsKey("invocation_start") && events.get(call).containsKey("invocation_complete"))) {
            Thread.sleep(200);
            events.clear();
            events.putAll(audited(file));
        }
        long size = -1;
        while (Files.exists(file) && Files.size(file) != size) {
            size = Files.size(file);
            Thread.sleep(1000);
        }
        return audited(file);
    }

    private static void assertEachOnce(Map<Call, Map<String, Integer>> events, Set<Call> answered) {
        assertThat(answered).allSatisfy(call -> assertThat(events.get(call)).as("the events of answered call %s", call)
                .containsEntry("invocation_start", 1).containsEntry("invocation_complete", 1));
        assertThat(events.values()).as("no event written twice, answered or not")
                .allSatisfy(counts -> assertThat(counts.values()).allMatch(count -> count == 1));
    }

    /**
     * With the default interval and with an fsync before each release: the writer then spends most of its time in
     * fsync while events gather in memory, so a gateway that answered before writing would lose many here.
     */
    @ParameterizedTest
    @ValueSource(strings = {"50ms", "0s"})
    void afterAKillNineUnderLoadEveryAnsweredCallHasItsStartAndCompleteOnce(String fsyncInterval) throws Exception {
        Path audit = home.resolve("audit.ndjson");
        URI address = start(config(audit.toString(), fsyncInterval));
        Set<Call> answered = load(address, 3000, 1, 1500);
        assertThat(answered.size()).as("calls answered before the kill").isGreaterThanOrEqualTo(1500);

        start(config(audit.toString(), fsyncInterval));
        Map<Call, Map<String, Integer>> events = awaitAudited(audit, answered);
        assertEachOnce(events, answered);
        terminate();
    }

    @Test
    void aSinkThatCannotWriteLosesNothingAcrossAKillNineAndAStopAndDeliversOnceItCan() throws Exception {
        Path audit = home.resolve("audit.ndjson");
        URI address = start(config("/dev/full"));
        Set<Call> answered = load(address, 20, 1, Integer.MAX_VALUE);
        assertThat(answered).hasSize(20);
        killNine();

        address = start(config("/dev/full"));
        Set<Call> later = load(address, 20, 101, Integer.MAX_VALUE);
        assertThat(later).hasSize(20);
        answered.addAll(later);
        terminate();
        String log = log();
        assertThat(log).containsPattern("Stopping: audit sink audit\\[0\\]-file is failing \\(.*No space left on device.*\\); waiting up"
                + " to [12]\\.\\d s for it to take its \\d+ events");
        assertThat(log).containsPattern("Audit sink audit\\[0\\]-file: \\d+ events wait in the journal .* for the next start");

        start(config(audit.toString()));
        Map<Call, Map<String, Integer>> events = awaitAudited(audit, answered);
        assertEachOnce(events, answered);
        terminate();
    }
}
