package io.mcpgw.server.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.AssembledParts;
import io.mcpgw.server.config.BackendConfig;
import io.mcpgw.server.config.ConfigLoader;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.spi.ExtensionContext;
import io.mcpgw.spi.transport.BackendTransport;
import io.mcpgw.spi.transport.BackendTransportFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backends follow their registry as the gateway wires them: a definition put there brings its backend up, a
 * redefinition replaces it in its place, and a removal drains it (its call in flight answered) and stops it.
 */
class BackendManagerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path directory;

    /** {@code transport: testing}: each backend created gets a transport of its own, kept here in order. */
    private final List<TestingInMemoryTransport> transports = new CopyOnWriteArrayList<>();
    private AssembledParts gateway;
    private BackendRegistry registry;
    private BackendManager backends;

    @BeforeEach
    void start() {
        BackendTransportFactory testing = new BackendTransportFactory() {
            @Override
            public String name() {
                return "testing";
            }

            @Override
            public BackendTransport create(ExtensionContext context) {
                TestingInMemoryTransport transport = new TestingInMemoryTransport(1, 1);
                transports.add(transport);
                return transport;
            }
        };
        gateway = new AssembledParts(directory, false, "", List.of(testing));
        registry = gateway.get(BackendRegistry.class);
        backends = gateway.get(BackendManager.class);
        backends.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        transports.forEach(TestingInMemoryTransport::letGo);
        backends.stop();
        gateway.close();
    }

    @Test
    void aDefinitionPutInTheRegistryBringsItsBackendUp() throws Exception {
        registry.add(definition("files"));

        Backend files = backends.get("files").orElseThrow();
        await().atMost(WAIT).until(files::isUp);
        assertThat(backends.upstreams()).containsExactly(files);
        assertThat(answer(call(files, "where"))).as("served on its first connection").isEqualTo(1);
    }

    @Test
    void theBackendPreparedForADefinitionIsTheOneServedWhenItIsPut() {
        BackendConfig definition = definition("files");
        Backend prepared = backends.prepare(definition);
        assertThat(backends.get("files")).as("not served before it is put").isEmpty();

        registry.add(definition);

        assertThat(backends.get("files")).containsSame(prepared);
        assertThat(transports).as("its transport created once").hasSize(1);
    }

    @Test
    void aRedefinitionTakesThePlaceOfTheOldBackendWhichStops() throws Exception {
        registry.add(definition("files"));
        registry.add(definition("notes"));
        Backend old = backends.get("files").orElseThrow();
        await().atMost(WAIT).until(old::isUp);

        registry.change(List.of(definition("files")), List.of(), WAIT);

        Backend fresh = backends.get("files").orElseThrow();
        assertThat(fresh).isNotSameAs(old);
        assertThat(backends.all()).extracting(Backend::id).as("in its place").containsExactly("files", "notes");
        backends.stopped(old).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(transports.get(0).opened()).as("the old backend's connection").allSatisfy(opened -> assertThat(opened.closed()).isTrue());
        await().atMost(WAIT).until(fresh::isUp);
        assertThat(answer(call(fresh, "where"))).isEqualTo(1);
    }

    @Test
    void aRemovalDrainsTheBackendWhoseCallInFlightIsAnsweredBeforeItStops() throws Exception {
        registry.add(definition("files"));
        Backend files = backends.get("files").orElseThrow();
        await().atMost(WAIT).until(files::isUp);
        CompletableFuture<ObjectNode> held = call(files, "hold");
        await().atMost(WAIT).until(() -> files.callsInFlight() == 1);

        registry.change(List.of(), List.of("files"), WAIT);

        assertThat(backends.get("files")).as("left out at once").isEmpty();
        assertThat(backends.upstreams()).isEmpty();
        CompletableFuture<Void> stopped = backends.stopped(files);
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> !stopped.isDone());
        assertThat(files.status().state()).isEqualTo(BackendStatus.State.DRAINING);

        transports.get(0).letGo();
        assertThat(answer(held)).as("the call in flight is answered").isEqualTo(1);
        stopped.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(transports.get(0).opened()).allSatisfy(opened -> assertThat(opened.closed()).isTrue());
    }

    private static CompletableFuture<ObjectNode> call(Upstream backend, String tool) {
        ObjectNode params = JsonRpc.MAPPER.createObjectNode().put("name", tool);
        return CompletableFuture.supplyAsync(() -> backend.call(new BackendRequest("tools/call", params, new TestingCaller("s-1", false), AnswerHook.NONE,
                        Optional.empty(), false)), runnable -> Thread.ofVirtual().start(runnable))
                .thenCompose(BackendCall::response);
    }

    /** The number of the connection that answered. */
    private static int answer(CompletableFuture<ObjectNode> answered) throws Exception {
        return answered.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).path("result").path("content").get(0).path("text").asInt();
    }

    private static BackendConfig definition(String id) {
        return new ConfigLoader(Map.<String, String>of()::get).parse("backends:\n  - id: " + id + "\n    transport: testing\n    isolation: shared\n", "test.yaml")
                .backends().get(0);
    }
}
