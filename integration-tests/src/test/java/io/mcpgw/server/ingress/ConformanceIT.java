package io.mcpgw.server.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.testkit.ConformanceResults;
import io.mcpgw.testkit.ConformanceSuite;
import io.mcpgw.testkit.NodeHttpServer;
import io.mcpgw.testkit.NpmPeers;
import io.mcpgw.testkit.TestingBackendConfig;
import io.mcpgw.testkit.TestingConfig;
import io.mcpgw.testkit.TestingGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official MCP conformance suite as a real client of the gateway. Each release the project pins (0.2.0-alpha.12,
 * its requirement set of each revision run at that revision's wire, and 0.1.16) runs its server scenarios against the
 * suite's reference server directly, then against the same server behind the gateway at
 * {@code /servers/conformance/mcp} (a Streamable HTTP backend). What passes directly passes through the gateway, and
 * what fails directly fails no worse: no check does worse through the gateway than directly (fails or warns where it
 * did not, or is not reached where it succeeded), except where a list below names the check and says why. Each run's
 * results stay in {@code target/conformance/}.
 */
class ConformanceIT {

    /** 0.2.0-alpha.12, which knows both eras. */
    private static final String LATEST = "@modelcontextprotocol/conformance";
    /** 0.1.16, installed under an npm alias, which knows only the 2025 revisions. */
    private static final String PREVIOUS = "conformance-0-1";
    private static final Duration RUN_LIMIT = Duration.ofSeconds(90);
    private static final List<String> SCENARIO_LIMIT = List.of("--timeout", "15000");
    private static final Path RESULTS = Path.of("target", "conformance");

    /**
     * The checks the suite does not reach through the gateway in these 2025-11-25 scenarios, and why: the gateway
     * answers a POST with JSON where the reference server opens an SSE stream (a server may do either), and the suite
     * records its SSE checks as not applicable to a JSON answer.
     */
    static final Map<String, Set<String>> NOT_APPLICABLE_TO_JSON_ANSWERS = Map.of(
            "server-sse-multiple-streams", Set.of("server-sse-streams-functional"),
            "server-sse-polling", Set.of("server-sse-disconnect-resume", "server-sse-priming-event", "server-sse-retry-field"));

    /** The same for 0.1.16, whose SSE polling checks only warn against the reference server. */
    static final Map<String, Set<String>> NOT_APPLICABLE_TO_JSON_ANSWERS_0_1 = Map.of(
            "server-sse-multiple-streams", Set.of("server-sse-streams-functional"),
            "server-sse-polling", Set.of("server-sse-priming-event", "server-sse-retry-field"));

    /**
     * The 2026-07-28 scenarios the gateway does not serve yet, each with the checks it does worse on there than the
     * reference server directly. The reference server speaks both eras, so the gateway speaks the legacy era to it
     * (see EraProbe), and there the server lists none of the tools its {@code input_required}, diagnostic and tasks
     * scenarios call ("Unknown tool: test_input_required_result_sampling"); its list changes come per backend
     * session, which a listen stream does not hear. The test asserts that exactly these checks still do worse: each
     * entry must go as issue 17 serves it (a modern backend's own input_required relayed, so dual-era backends can be
     * spoken to in the modern era).
     */
    static final Map<String, Set<String>> NOT_YET_SERVED_2026 = Map.ofEntries(
            Map.entry("input-required-result-basic-elicitation", Set.of("sep-2322-elicitation-complete", "sep-2322-elicitation-incomplete")),
            Map.entry("input-required-result-basic-list-roots", Set.of("sep-2322-list-roots-complete", "sep-2322-list-roots-incomplete")),
            Map.entry("input-required-result-basic-sampling", Set.of("sep-2322-sampling-complete", "sep-2322-sampling-incomplete")),
            Map.entry("input-required-result-capability-check", Set.of("sep-2322-respect-client-capabilities")),
            Map.entry("input-required-result-ignore-extra-params", Set.of("sep-2322-ignore-unexpected-params")),
            Map.entry("input-required-result-missing-input-response", Set.of("sep-2322-missing-response-rerequests")),
            Map.entry("input-required-result-multi-round", Set.of("sep-2322-multi-round-r1", "sep-2322-multi-round-r2", "sep-2322-multi-round-r3")),
            Map.entry("input-required-result-multiple-input-requests", Set.of("sep-2322-multiple-inputs-complete", "sep-2322-multiple-inputs-incomplete")),
            Map.entry("input-required-result-non-tool-request", Set.of("sep-2322-non-tool-complete", "sep-2322-non-tool-incomplete")),
            Map.entry("input-required-result-request-state", Set.of("sep-2322-request-state-complete", "sep-2322-request-state-incomplete")),
            Map.entry("input-required-result-result-type", Set.of("sep-2322-result-type-included")),
            Map.entry("input-required-result-tampered-state", Set.of("sep-2322-reject-tampered-state")),
            Map.entry("server-stateless", Set.of("sep-2575-http-server-no-independent-requests-on-stream", "sep-2575-missing-capability-http-400", "sep-2575-server-no-log-without-loglevel", "sep-2575-server-rejects-undeclared-capability", "sep-2575-server-sends-prompts-list-changed-on-subscription", "sep-2575-server-sends-tools-list-changed-on-subscription")),
            Map.entry("tasks-capability-negotiation", Set.of("sep-2663-server-rejects-undeclared-client")),
            Map.entry("tasks-dispatch-and-envelope", Set.of("tasks-immediate-result-shortcut")),
            Map.entry("tasks-lifecycle", Set.of("tasks-sync-tool-call")));

    /**
     * The 2026-07-28 scenarios the reference server (the suite's own, at 0.2.0-alpha.11) fails directly, as 0.2.0-alpha.12
     * judges it: the tools answer without {@code resultType}, and it serves neither the tasks extension nor the
     * SEP-2243 header checks. Through the gateway they must fail no worse.
     */
    static final Set<String> REFERENCE_SERVER_FAILS_2026 = Set.of(
            "tools-call-simple-text", "tools-call-image", "tools-call-audio", "tools-call-embedded-resource", "tools-call-mixed-content",
            "tools-call-error", "tools-call-with-progress",
            "tasks-lifecycle", "tasks-capability-negotiation", "tasks-wire-fields", "tasks-request-state-removal", "tasks-mrtr-input",
            "tasks-request-headers", "tasks-dispatch-and-envelope", "tasks-required-task-error", "tasks-mrtr-composition",
            "http-header-validation", "http-custom-header-server-validation");

    @TempDir
    static Path home;

    private static NodeHttpServer reference;
    private static TestingGateway gateway;
    private static Path node;

    @BeforeAll
    static void start() throws Exception {
        if (NpmPeers.conformanceServer().isEmpty() || NpmPeers.conformanceSuite(LATEST).isEmpty() || NpmPeers.conformanceSuite(PREVIOUS).isEmpty()) {
            if (NpmPeers.required()) {
                fail("CI=true but node, or the conformance suite and its reference server, are missing (testkit/npm)");
            }
            Assumptions.abort("node is not installed here; these tests run wherever it is, and always under CI");
        }
        node = NpmPeers.packagedNode().orElseThrow();
        reference = new NodeHttpServer(node, List.of(NpmPeers.conformanceServer().orElseThrow().toString()), home.resolve("reference.log"),
                "the conformance reference server");
        gateway = TestingConfig.gateway().backend(TestingBackendConfig.http("conformance", URI.create(reference.url() + "/mcp")))
                .startReady(home.resolve("gateway"));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (gateway != null) {
            gateway.close();
        }
        if (reference != null) {
            reference.close();
        }
    }

    /** One selection of scenarios, run directly and through the gateway. */
    private record Runs(ConformanceResults direct, ConformanceResults through) {

        static Runs of(String release, String name, List<String> selection) throws Exception {
            ConformanceSuite suite = new ConformanceSuite(node, NpmPeers.conformanceSuite(release).orElseThrow(), RUN_LIMIT);
            ConformanceResults direct = suite.run(reference.url() + "/mcp", RESULTS.resolve(name + "-direct"), selection);
            ConformanceResults through = suite.run(gateway.baseUri() + "/servers/conformance/mcp", RESULTS.resolve(name + "-gateway"), selection);
            return new Runs(direct, through);
        }

        Set<String> failingDirectly() {
            return direct.scenarios().keySet().stream().filter(scenario -> !direct.passed(scenario)).collect(Collectors.toSet());
        }

        /**
         * Asserts that the same scenarios ran both ways, that every scenario passing directly passes through the
         * gateway unless {@code notYetServed} names it, and that the checks doing worse through the gateway are exactly
         * those {@code notYetServed} and {@code notApplicable} name.
         */
        void assertNoWorseThroughTheGateway(Map<String, Set<String>> notYetServed, Map<String, Set<String>> notApplicable) {
            assertThat(through.scenarios().keySet()).isEqualTo(direct.scenarios().keySet());
            SortedMap<String, Set<String>> expected = new TreeMap<>(notApplicable);
            expected.putAll(notYetServed);
            SortedMap<String, Set<String>> worse = new TreeMap<>();
            StringBuilder how = new StringBuilder();
            for (String scenario : direct.scenarios().keySet()) {
                SortedMap<String, String> checks = through.worseThan(direct, scenario);
                if (!checks.isEmpty()) {
                    worse.put(scenario, checks.keySet());
                }
                if (!checks.keySet().equals(expected.getOrDefault(scenario, Set.of()))) {
                    checks.values().forEach(line -> how.append("\n  ").append(line));
                }
            }
            assertThat(worse).as("the checks doing worse through the gateway than directly; where it differs:" + how + "\nas Java: "
                    + asJava(worse)).isEqualTo(expected);
            assertThat(direct.scenarios().keySet()).filteredOn(direct::passed).filteredOn(scenario -> !notYetServed.containsKey(scenario))
                    .allSatisfy(scenario -> assertThat(through.passed(scenario)).as(scenario + " passes directly, and through the gateway").isTrue());
        }

        private static String asJava(SortedMap<String, Set<String>> worse) {
            return worse.entrySet().stream().map(entry -> "Map.entry(\"" + entry.getKey() + "\", Set.of(" + entry.getValue().stream()
                    .map(id -> "\"" + id + "\"").collect(Collectors.joining(", ")) + "))").collect(Collectors.joining(",\n"));
        }
    }

    @Test
    void theRequirementsOf2025_11_25PassThroughTheGatewayAsDirectly() throws Exception {
        Runs runs = Runs.of(LATEST, "0.2.0-alpha.12-2025-11-25", concat(List.of("--requirements", "2025-11-25"), SCENARIO_LIMIT));
        assertThat(runs.direct().scenarios()).hasSize(33);
        assertThat(runs.failingDirectly()).isEmpty();
        runs.assertNoWorseThroughTheGateway(Map.of(), NOT_APPLICABLE_TO_JSON_ANSWERS);
    }

    @Test
    void everyScenarioOf0_1_16PassesThroughTheGatewayAsDirectly() throws Exception {
        Runs runs = Runs.of(PREVIOUS, "0.1.16", List.of("--suite", "all"));
        assertThat(runs.direct().scenarios()).hasSize(32);
        assertThat(runs.failingDirectly()).isEmpty();
        runs.assertNoWorseThroughTheGateway(Map.of(), NOT_APPLICABLE_TO_JSON_ANSWERS_0_1);
    }

    @Test
    void theRequirementsOf2026_07_28FailThroughTheGatewayOnlyWhereItDoesNotServeThemYet() throws Exception {
        Runs runs = Runs.of(LATEST, "0.2.0-alpha.12-2026-07-28", concat(List.of("--requirements", "2026-07-28"), SCENARIO_LIMIT));
        assertThat(runs.direct().scenarios()).hasSize(50);
        assertThat(runs.failingDirectly()).isEqualTo(REFERENCE_SERVER_FAILS_2026);
        runs.assertNoWorseThroughTheGateway(NOT_YET_SERVED_2026, Map.of());
    }

    /**
     * A request the suite sends pinned to 2026-07-28 is answered under its own id, refused or not: today's refusal
     * carried {@code "id": null}, which the 2026-07-28 schema does not allow.
     */
    @Test
    void theAnswerToARequestPinnedTo2026_07_28CarriesItsId() throws Exception {
        for (String id : List.of("7", "\"seven\"")) {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(gateway.baseUri().resolve("/servers/conformance/mcp"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                    .header("MCP-Protocol-Version", "2026-07-28").header("Mcp-Method", "tools/list")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/list\",\"params\":{\"_meta\":{"
                            + "\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\",\"io.modelcontextprotocol/clientCapabilities\":{}}}}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answerIn(answer).get("id")).as(answer.body()).hasToString(id);
        }
    }

    /** The JSON-RPC response in a JSON body, or in the last {@code data:} line of an event stream. */
    private static JsonNode answerIn(HttpResponse<String> response) throws Exception {
        if (!response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
            return JsonRpc.MAPPER.readTree(response.body());
        }
        List<String> data = response.body().lines().filter(line -> line.startsWith("data:") && line.length() > 5).toList();
        return JsonRpc.MAPPER.readTree(data.getLast().substring(5));
    }

    private static List<String> concat(List<String> first, List<String> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
    }
}
