package io.mcpgw.server.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.config.BackendConfig;
import io.mcpgw.server.config.BreakerConfig;
import io.mcpgw.server.config.CredentialMode;
import io.mcpgw.server.config.ExtensionSection;
import io.mcpgw.server.config.HealthConfig;
import io.mcpgw.server.config.Isolation;
import io.mcpgw.server.config.Pinning;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.spi.credentials.Credentials;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which connection of a backend serves which call: spreading over the pool, leases for clients that can be asked
 * things, affinity, credentials, and the connections of isolated sessions, against a backend in this process.
 */
class ConnectionPoolTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private TestingInMemoryTransport transport;
    private Backend backend;

    private Backend started(Isolation isolation, int maxConnections, int maxIsolatedConnections) {
        transport = new TestingInMemoryTransport(maxConnections, maxIsolatedConnections);
        BackendConfig config = new BackendConfig("testing", Duration.ofSeconds(5), Duration.ofSeconds(5), Pinning.WARN,
                CredentialMode.OPTIONAL, BreakerConfig.DEFAULTS, null, null, isolation, HealthConfig.DEFAULTS, true, null,
                new ExtensionSection("test", "backends[0]", "testing", JsonRpc.MAPPER.createObjectNode()));
        backend = new Backend(config, transport, (ignored, lists) -> { }, ServerMessages.NONE, Optional::empty,
                new BackendSupervisor.Watcher() {
                    @Override
                    public void circuitChanged(String from, String to) {}

                    @Override
                    public void stateChanged(BackendStatus from, BackendStatus to) {}
                });
        backend.start();
        await().atMost(WAIT).until(backend::isUp);
        return backend;
    }

    @AfterEach
    void close() {
        if (transport != null) {
            transport.letGo();
        }
        if (backend != null) {
            backend.close();
        }
    }

    /** Calls {@code tool} for {@code caller} on a thread of its own (a lease may wait); the future holds the connection's number. */
    private CompletableFuture<Integer> call(Caller caller, String tool) {
        return call(caller, tool, Optional.empty());
    }

    private CompletableFuture<Integer> call(Caller caller, String tool, Optional<Credentials> credentials) {
        ObjectNode params = JsonRpc.MAPPER.createObjectNode().put("name", tool);
        return CompletableFuture.supplyAsync(() -> backend.call(new BackendRequest("tools/call", params, caller, AnswerHook.NONE, credentials, false)),
                        runnable -> Thread.ofVirtual().start(runnable))
                .thenCompose(BackendCall::response)
                .thenApply(answer -> answer.path("result").path("content").get(0).path("text").asInt());
    }

    private static int connection(CompletableFuture<Integer> answered) throws Exception {
        return answered.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void callsOfClientsThatCannotBeAskedSpreadOverThePoolBeforeTheyQueueOnOneConnection() throws Exception {
        started(Isolation.SHARED, 2, Integer.MAX_VALUE);
        CompletableFuture<Integer> held = call(new TestingCaller("a", false), "hold");
        await().atMost(WAIT).until(() -> backend.callsInFlight() == 1);

        assertThat(connection(call(new TestingCaller("b", false), "where"))).as("a second connection is opened for it").isEqualTo(2);
        // which of the two serves the next depends on whether b's call has given its place back yet
        assertThat(connection(call(new TestingCaller("c", false), "where"))).as("the pool is full: no third").isIn(1, 2);
        transport.letGo();
        assertThat(connection(held)).isEqualTo(1);
        assertThat(transport.opened()).hasSize(2);
    }

    @Test
    void aClientThatCanBeAskedHasItsConnectionToItselfWhileItsCallRuns() throws Exception {
        started(Isolation.SHARED, 1, Integer.MAX_VALUE);
        CompletableFuture<Integer> held = call(new TestingCaller("asked", true), "hold");
        await().atMost(WAIT).until(() -> backend.callsInFlight() == 1);

        CompletableFuture<Integer> otherAsked = call(new TestingCaller("other", true), "where");
        CompletableFuture<Integer> notAsked = call(new TestingCaller("plain", false), "where");
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> !otherAsked.isDone() && !notAsked.isDone());

        transport.letGo();
        assertThat(connection(held)).isEqualTo(1);
        assertThat(connection(otherAsked)).as("once the lease ended").isEqualTo(1);
        assertThat(connection(notAsked)).isEqualTo(1);
    }

    @Test
    void aClientThatCanBeAskedComesBackToTheConnectionItLastHeld() throws Exception {
        started(Isolation.SHARED, 2, Integer.MAX_VALUE);
        TestingCaller first = new TestingCaller("first", true);
        TestingCaller second = new TestingCaller("second", true);
        CompletableFuture<Integer> held = call(first, "hold");
        await().atMost(WAIT).until(() -> backend.callsInFlight() == 1);
        assertThat(connection(call(second, "where"))).isEqualTo(2);
        transport.letGo();
        assertThat(connection(held)).isEqualTo(1);

        for (int round = 0; round < 3; round++) {
            assertThat(connection(call(second, "where"))).isEqualTo(2);
            assertThat(connection(call(first, "where"))).isEqualTo(1);
        }
    }

    @Test
    void aCallWithOtherCredentialsGetsAConnectionOpenedWithThemInPlaceOfAnIdleOne() throws Exception {
        started(Isolation.SHARED, 1, Integer.MAX_VALUE);
        Credentials token = new Credentials(Map.of(), Map.of("Authorization", "Bearer acme"), Optional.empty());

        assertThat(connection(call(new TestingCaller("a", false), "where", Optional.of(token)))).isEqualTo(2);
        assertThat(transport.opened().get(1).headers()).containsEntry("Authorization", "Bearer acme");
        assertThat(transport.opened().get(0).closed()).as("the gateway's idle connection made room").isTrue();
        assertThat(connection(call(new TestingCaller("b", false), "where", Optional.of(token)))).as("and is reused").isEqualTo(2);
    }

    @Test
    void eachIsolatedSessionHasAConnectionOfItsOwnWhichEndsWithIt() throws Exception {
        started(Isolation.SESSION, 1, Integer.MAX_VALUE);
        TestingCaller one = new TestingCaller("one", true);
        TestingCaller two = new TestingCaller("two", true);
        assertThat(backend.join(one)).isTrue();
        assertThat(backend.join(two)).isTrue();
        assertThat(backend.join(one)).as("joined once").isFalse();

        int first = connection(call(one, "where"));
        int second = connection(call(two, "where"));
        assertThat(first).isNotEqualTo(second).isNotEqualTo(1);
        assertThat(connection(call(one, "where"))).isEqualTo(first);

        backend.leave(one);
        await().atMost(WAIT).until(() -> transport.opened().get(first - 1).closed().get());
        assertThat(transport.opened().get(second - 1).closed()).as("the other session's").isFalse();
        assertThat(backend.sessionCount()).isEqualTo(1);
    }

    @Test
    void pastTheTransportsLimitTheGatewaysIdleConnectionMakesRoomAndThenASessionIsRefused() throws Exception {
        started(Isolation.SESSION, 1, 2);
        TestingCaller one = new TestingCaller("one", true);
        TestingCaller two = new TestingCaller("two", true);
        TestingCaller three = new TestingCaller("three", true);
        backend.join(one);
        backend.join(two);
        backend.join(three);

        assertThat(connection(call(one, "where"))).isEqualTo(2);
        assertThat(connection(call(two, "where"))).isEqualTo(3);
        assertThat(transport.opened().get(0).closed()).as("the gateway's connection gave way").isTrue();
        assertThat(call(three, "where")).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(GatewayException.class,
                        refused -> assertThat(refused.code()).isEqualTo(ErrorCode.BACKEND_SATURATED));
    }

    @Test
    void aDrainedBackendRefusesCallsAndEndsItsConnections() throws Exception {
        started(Isolation.SHARED, 1, Integer.MAX_VALUE);
        assertThat(connection(call(new TestingCaller("a", false), "where"))).isEqualTo(1);
        assertThat(backend.drain(Duration.ofSeconds(1))).isZero();

        assertThat(transport.opened().get(0).closed()).isTrue();
        assertThat(call(new TestingCaller("a", false), "where")).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(GatewayException.class,
                        refused -> assertThat(refused.getMessage()).contains("disabled by an operator"));
        assertThat(backend.enable()).isTrue();
        await().atMost(WAIT).until(backend::isUp);
        assertThat(connection(call(new TestingCaller("a", false), "where"))).isEqualTo(2);
    }
}
