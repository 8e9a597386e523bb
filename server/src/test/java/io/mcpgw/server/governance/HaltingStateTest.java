package io.mcpgw.server.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcpgw.server.config.LimitsConfig;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A session's halting limits as its client meets them: the call past a limit, and every one after it, is refused. */
class HaltingStateTest {

    private final HaltingState state = new HaltingState();
    private final List<String> halts = new ArrayList<>();

    @Test
    void theCallPastMaxCallsHaltsTheSessionAndEveryLaterCallIsRefusedWithTheSameReasonReportedOnce() {
        LimitsConfig limits = new LimitsConfig(3L, null, null, null);
        assertThat(state.admit(limits, Duration.ZERO, 1, halts::add)).isEqualTo(0);
        assertThat(state.admit(limits, Duration.ZERO, 1, halts::add)).isEqualTo(1);
        assertThat(state.admit(limits, Duration.ZERO, 1, halts::add)).isEqualTo(2);

        assertHalted(() -> state.admit(limits, Duration.ZERO, 1, halts::add), "session halted: maxCalls (3 invocations) reached");
        assertHalted(() -> state.admit(LimitsConfig.NONE, Duration.ZERO, 1, halts::add),
                "session halted: maxCalls (3 invocations) reached");

        assertThat(halts).containsExactly("maxCalls (3 invocations) reached");
        assertThat(state.haltedBecause()).contains("maxCalls (3 invocations) reached");
        assertThat(state.invocations()).as("refused calls count too").isEqualTo(5);
    }

    @Test
    void aSessionOlderThanMaxDurationIsHalted() {
        LimitsConfig limits = new LimitsConfig(null, Duration.ofMinutes(1), null, null);
        assertThat(state.admit(limits, Duration.ofSeconds(60), 1, halts::add)).isZero();

        assertHalted(() -> state.admit(limits, Duration.ofSeconds(61), 1, halts::add), "session halted: maxDuration (1m) reached");
    }

    @Test
    void moreCallsInFlightThanMaxConcurrentHaltTheSession() {
        LimitsConfig limits = new LimitsConfig(null, null, 2, null);
        state.admit(limits, Duration.ZERO, 2, halts::add);

        assertHalted(() -> state.admit(limits, Duration.ZERO, 3, halts::add),
                "session halted: maxConcurrent (2 invocations in flight) passed");
    }

    @Test
    void aCallMadeWhileABackendWaitsForTheClientIsOneDeeperAndPastMaxDepthHalts() {
        LimitsConfig limits = new LimitsConfig(null, null, null, 1);
        state.admit(limits, Duration.ZERO, 1, halts::add);
        state.askStarted();
        state.askEnded();
        state.admit(limits, Duration.ZERO, 1, halts::add);
        assertThat(state.haltedBecause()).as("an ask that ended adds no depth").isEmpty();

        state.askStarted();
        assertHalted(() -> state.admit(limits, Duration.ZERO, 1, halts::add), "session halted: maxDepth (1 nested calls) passed");
    }

    @Test
    void withoutLimitsNothingHalts() {
        for (int i = 0; i < 1000; i++) {
            state.admit(LimitsConfig.NONE, Duration.ofDays(1), 100, halts::add);
        }
        assertThat(halts).isEmpty();
        assertThat(state.haltedBecause()).isEmpty();
    }

    private void assertHalted(Runnable call, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(GatewayException.class, refused -> {
            assertThat(refused.code()).isEqualTo(ErrorCode.HALTED);
            assertThat(refused.getMessage()).isEqualTo(message);
        });
    }
}
