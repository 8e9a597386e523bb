package io.mcpgw.server.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.server.demo.DemoBackend;
import io.mcpgw.server.governance.McpChannel.Transport;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.testkit.AdminClient;
import io.mcpgw.testkit.JavaCommand;
import io.mcpgw.testkit.TestingConfig;
import io.mcpgw.testkit.TestingGateway;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Grants fail closed, over every client transport and endpoint and every method that reaches a backend's items: a
 * tenant whose backend list is {@code []} or matches no backend gets not one response that carries data, a tenant
 * whose tool allow list is {@code []} or matches nothing gets no tool, and an agent that uses one tool shows that
 * tool and nothing else. A tenant with every grant gets data from the same requests, so they are requests that
 * could leak.
 */
class GrantsMatrixIT {

    private static final String ADMIN_TOKEN = "admin-token-0123456789abcdef";
    private static final List<String> TENANTS = List.of("acme", "none", "elsewhere", "notools", "othertools");

    @TempDir
    static Path home;

    private static TestingGateway gateway;

    @BeforeAll
    static void startGateway() throws InterruptedException {
        TestingConfig config = TestingConfig.gateway().admin(ADMIN_TOKEN);
        TENANTS.forEach(tenant -> config.apiKey(tenant, tenant, "app"));
        gateway = config.tenant("acme").tenant("none", "backends: []").tenant("elsewhere", "backends: [\"nomatch-*\"]")
                .tenant("notools", "tools: { allow: [] }").tenant("othertools", "tools: { allow: [\"nomatch__*\"] }")
                .demoAndTesting("hi")
                .yaml("""
                        audit:
                          - type: file
                            path: trail.ndjson
                        journal:
                          includeArguments: true
                        agents:
                          - name: coder
                            uses: [demo, testing]
                          - name: echoer
                            uses: [demo__echo]
                          - name: reviewer
                            uses: [testing__review, "test://doc/*"]
                        """)
                .startReady(home);
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    /**
     * A request naming one item of {@code backend}; {@code @} in its params stands for the prefix the view names
     * the backend's tools and prompts with ({@code demo__}, or nothing at the backend's own endpoint).
     */
    private record Probe(String backend, String method, String params) {

        String params(String view) {
            return params.replace("@", view.startsWith("/servers/") ? "" : backend + "__");
        }
    }

    private static final List<Probe> PROBES = List.of(
            new Probe("demo", "tools/call", "{\"name\":\"@echo\",\"arguments\":{\"text\":\"x\"}}"),
            new Probe("demo", "prompts/get", "{\"name\":\"@greet\",\"arguments\":{\"name\":\"x\"}}"),
            new Probe("demo", "resources/read", "{\"uri\":\"demo://greeting\"}"),
            new Probe("testing", "tools/call", "{\"name\":\"@echo\",\"arguments\":{\"text\":\"x\"}}"),
            new Probe("testing", "prompts/get", "{\"name\":\"@review\",\"arguments\":{}}"),
            new Probe("testing", "resources/read", "{\"uri\":\"test://doc/1\"}"),
            new Probe("testing", "resources/read", "{\"uri\":\"test://items/7\"}"),
            new Probe("testing", "completion/complete", "{\"ref\":{\"type\":\"ref/prompt\",\"name\":\"@review\"},\"argument\":{\"name\":\"file\",\"value\":\"a\"}}"),
            new Probe("testing", "completion/complete", "{\"ref\":{\"type\":\"ref/resource\",\"uri\":\"test://items/{id}\"},\"argument\":{\"name\":\"id\",\"value\":\"1\"}}"),
            new Probe("testing", "resources/subscribe", "{\"uri\":\"test://doc/1\"}"));

    /** The list methods and the field each answers in. */
    private static final List<List<String>> LISTS = List.of(List.of("tools/list", "tools"), List.of("prompts/list", "prompts"),
            List.of("resources/list", "resources"), List.of("resources/templates/list", "resourceTemplates"));

    private static final List<String> VIEWS = List.of("", "/servers/demo", "/servers/testing", "/agents/coder");

    private static List<Probe> probesAt(String view) {
        return PROBES.stream().filter(probe -> !view.startsWith("/servers/") || view.equals("/servers/" + probe.backend())).toList();
    }

    /** What one session got: each answer, named by its request, that carries data, and how many were asked. */
    private record Seen(List<String> withData, int asked) {}

    /** Sends every list and probe of the view; an endpoint that refuses the session answers nothing. */
    private static Optional<Seen> sweep(Transport transport, String tenant, String view, List<Probe> probes) {
        Optional<McpChannel> opened = McpChannel.open(gateway, transport, tenant, view);
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        List<String> withData = new ArrayList<>();
        int asked = 0;
        try (McpChannel channel = opened.get()) {
            for (List<String> list : LISTS) {
                JsonNode answer = channel.request(list.get(0), "{}");
                asked++;
                if (answer.has("error") || !answer.path("result").path(list.get(1)).isEmpty()) {
                    withData.add(list.get(0) + " " + answer);
                }
            }
            for (Probe probe : probes) {
                JsonNode answer = channel.request(probe.method(), probe.params(view));
                asked++;
                if (!answer.has("error")) {
                    withData.add(probe.method() + " " + probe.params(view) + " " + answer);
                } else {
                    assertThat(answer.path("error").path("code").asInt()).as(probe + " is refused as a name nothing has")
                            .isIn(-32602, -32002);
                }
            }
        }
        return Optional.of(new Seen(withData, asked));
    }

    /** Runs {@code check} for every transport and view. */
    private static void everyCell(CellCheck check) {
        for (Transport transport : Transport.values()) {
            for (String view : VIEWS) {
                check.accept(transport, view);
            }
        }
    }

    private interface CellCheck {
        void accept(Transport transport, String view);
    }

    @Test
    void anEmptyOrUnmatchedBackendListGivesNoResponseWithData() {
        for (String tenant : List.of("none", "elsewhere")) {
            List<String> leaks = new ArrayList<>();
            int[] sessions = {0};
            everyCell((transport, view) -> {
                Optional<Seen> seen = sweep(transport, tenant, view, probesAt(view));
                if (view.startsWith("/servers/")) {
                    assertThat(seen).as(tenant + " " + transport + " " + view + ": a backend it may not use is no endpoint").isEmpty();
                }
                seen.ifPresent(found -> {
                    sessions[0]++;
                    assertThat(found.asked()).isEqualTo(LISTS.size() + probesAt(view).size());
                    found.withData().forEach(leak -> leaks.add(transport + " " + view + ": " + leak));
                });
            });
            assertThat(sessions[0]).as(tenant + ": sessions at /mcp and the agent over three transports").isEqualTo(6);
            assertThat(leaks).as(tenant + ": responses carrying data").isEmpty();
        }
        // The trail is written in order: once a later call of acme's is in it, so is everything the others did.
        String marker = "marker-" + System.nanoTime();
        try (McpChannel acme = McpChannel.open(gateway, Transport.HTTP, "acme", "").orElseThrow()) {
            assertThat(acme.request("tools/call", "{\"name\":\"demo__echo\",\"arguments\":{\"text\":\"" + marker + "\"}}").has("result")).isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> trail().stream().anyMatch(event -> event.toString().contains(marker)));
        assertThat(trail()).as("nothing the tenants without grants asked was let through, or audited as allowed")
                .filteredOn(event -> List.of("none", "elsewhere").contains(event.path("tenant").asText()))
                .extracting(event -> event.path("type").asText()).isNotEmpty().allMatch(type -> type.startsWith("session_"));
    }

    /** The audit trail so far. */
    private static List<JsonNode> trail() {
        try (Stream<Path> files = Files.walk(home)) {
            Optional<Path> file = files.filter(path -> path.getFileName().toString().equals("trail.ndjson")).findFirst();
            List<JsonNode> events = new ArrayList<>();
            for (String line : file.isPresent() ? Files.readAllLines(file.get()) : List.<String>of()) {
                events.add(JsonRpc.MAPPER.readTree(line));
            }
            return events;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aTenantWithEveryGrantGetsDataFromTheSameRequests() {
        everyCell((transport, view) -> {
            Seen seen = sweep(transport, "acme", view, probesAt(view)).orElseThrow();
            List<String> expected = new ArrayList<>(List.of("tools/list", "prompts/list", "resources/list"));
            if (!view.equals("/servers/demo")) {
                expected.add("resources/templates/list");
            }
            probesAt(view).forEach(probe -> expected.add(probe.method() + " " + probe.params(view)));
            assertThat(seen.withData()).as(transport + " " + view).hasSize(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                assertThat(seen.withData().get(i)).as(transport + " " + view).startsWith(expected.get(i) + " ");
            }
        });
    }

    @Test
    void anEmptyOrUnmatchedToolAllowListGivesNoToolButThePrompts() {
        for (String tenant : List.of("notools", "othertools")) {
            everyCell((transport, view) -> {
                Seen seen = sweep(transport, tenant, view, probesAt(view)).orElseThrow();
                assertThat(seen.withData()).as(tenant + " " + transport + " " + view).noneMatch(answer -> answer.startsWith("tools/"));
                assertThat(seen.withData()).as(tenant + " " + transport + " " + view + ": prompts are not tools")
                        .anyMatch(answer -> answer.startsWith("prompts/get "));
            });
        }
    }

    @Test
    void anAgentUsingOneToolShowsThatToolAndNothingElse() {
        for (Transport transport : Transport.values()) {
            Seen seen = sweep(transport, "acme", "/agents/echoer", PROBES).orElseThrow();
            assertThat(seen.withData()).as(transport.name()).hasSize(2);
            assertThat(seen.withData().get(0)).as(transport.name()).startsWith("tools/list ").contains("\"name\":\"demo__echo\"")
                    .doesNotContain("demo__add");
            assertThat(seen.withData().get(1)).as(transport.name()).startsWith("tools/call {\"name\":\"demo__echo\"");

            Seen nothing = sweep(transport, "none", "/agents/echoer", PROBES).orElseThrow();
            assertThat(nothing.withData()).as(transport + ": the agent within a tenant that may use nothing").isEmpty();
        }
    }

    @Test
    void anAgentNamesPromptsByNameAndResourcesByUriGlob() {
        for (Transport transport : Transport.values()) {
            Seen seen = sweep(transport, "acme", "/agents/reviewer", PROBES).orElseThrow();
            assertThat(seen.withData()).as(transport.name()).hasSize(6);
            assertThat(seen.withData().get(0)).startsWith("prompts/list ").contains("\"name\":\"testing__review\"").doesNotContain("demo__greet");
            assertThat(seen.withData().get(1)).startsWith("resources/list ").contains("test://doc/1").doesNotContain("demo://greeting");
            assertThat(seen.withData().subList(2, 6)).as(transport.name()).map(answer -> answer.substring(0, answer.indexOf('}') + 1))
                    .containsExactly("prompts/get {\"name\":\"testing__review\",\"arguments\":{}", "resources/read {\"uri\":\"test://doc/1\"}",
                            "completion/complete {\"ref\":{\"type\":\"ref/prompt\",\"name\":\"testing__review\"}",
                            "resources/subscribe {\"uri\":\"test://doc/1\"}");
        }
    }

    @Test
    void aBackendAddedLaterIsNotGrantedByAnEmptyList() {
        AdminClient admin = new AdminClient(gateway.adminUri(), ADMIN_TOKEN);
        AdminClient.Answer added = admin.post("/admin/backends", """
                {"id":"later","transport":"stdio","command":%s}""".formatted(JavaCommand.json(DemoBackend.class)));
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> admin.get("/admin/backends/later").json().path("state").asText().equals("up"));
            for (Transport transport : Transport.values()) {
                assertThat(McpChannel.open(gateway, transport, "none", "/servers/later")).as(transport.name()).isEmpty();
                try (McpChannel everything = McpChannel.open(gateway, transport, "none", "").orElseThrow();
                        McpChannel granted = McpChannel.open(gateway, transport, "acme", "").orElseThrow()) {
                    assertThat(granted.request("tools/call", "{\"name\":\"later__echo\",\"arguments\":{\"text\":\"x\"}}").has("result"))
                            .as(transport + ": acme may use every backend").isTrue();
                    assertThat(everything.request("tools/list", "{}").path("result").path("tools")).as(transport.name()).isEmpty();
                    assertThat(everything.request("tools/call", "{\"name\":\"later__echo\",\"arguments\":{\"text\":\"x\"}}")
                            .path("error").path("message").asText()).as(transport.name()).isEqualTo("Unknown tool: later__echo");
                }
            }
        } finally {
            assertThat(admin.delete("/admin/backends/later").status()).isIn(200, 204);
        }
    }
}
