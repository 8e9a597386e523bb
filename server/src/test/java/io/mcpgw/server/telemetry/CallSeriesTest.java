package io.mcpgw.server.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CallSeriesTest {

    private static final long MILLIS = 1_000_000;

    private final AtomicLong now = new AtomicLong(1_800_000_000_000L);
    private final CallSeries series = new CallSeries(now::get);

    private void advanceSeconds(long seconds) {
        now.addAndGet(seconds * 1000);
    }

    @Test
    void eachStepHasItsRateErrorsAndPercentiles() {
        for (int i = 0; i < 98; i++) {
            series.record("demo", 3 * MILLIS, false);
        }
        series.record("demo", 700 * MILLIS, true);
        series.record("demo", 700 * MILLIS, true);
        CallSeries.Window window = series.window(List.of("demo", "idle"), 10, 5);

        assertThat(window.step()).isEqualTo(5);
        assertThat(window.startSecond()).isEqualTo(now.get() / 1000 - 9);
        CallSeries.Series demo = window.backends().getFirst();
        assertThat(demo.callsPerSecond()).containsExactly(0, 20);
        assertThat(demo.errors()).containsExactly(0, 2);
        assertThat(demo.p50Millis()[1]).as("in the 2.5-5 ms bucket").isBetween(2.5, 5.0);
        assertThat(demo.p99Millis()[1]).as("in the 0.5-1 s bucket").isBetween(500.0, 1000.0);
        CallSeries.Series idle = window.backends().get(1);
        assertThat(idle.callsPerSecond()).containsExactly(0, 0);
        assertThat(idle.p99Millis()).containsExactly(0, 0);
    }

    @Test
    void callsMoveBackThroughTheWindowAndLeaveIt() {
        series.record("demo", MILLIS, false);
        advanceSeconds(5);
        series.record("demo", MILLIS, false);
        series.record("demo", MILLIS, false);
        assertThat(series.window(List.of("demo"), 15, 5).backends().getFirst().callsPerSecond()).containsExactly(0, 0.2, 0.4);

        advanceSeconds(CallSeries.SECONDS);
        assertThat(series.window(List.of("demo"), CallSeries.SECONDS, 5).backends().getFirst().callsPerSecond())
                .as("a slot that held an older second reads as empty").containsOnly(0);
        series.record("demo", MILLIS, false);
        assertThat(series.window(List.of("demo"), 5, 5).backends().getFirst().callsPerSecond()).containsExactly(0.2);
    }

    @Test
    void aSlowCallPastTheLastBucketCountsAsTheLastBound() {
        series.record("demo", 120_000 * MILLIS, true);
        assertThat(series.window(List.of("demo"), 1, 1).backends().getFirst().p50Millis()[0]).isCloseTo(60_000, within(0.001));
    }

    @Test
    void aBackendThatIsGoneIsForgotten() {
        series.record("gone", MILLIS, false);
        series.window(List.of("demo"), 5, 5);
        assertThat(series.window(List.of("gone"), 5, 5).backends().getFirst().callsPerSecond()).containsExactly(0);
    }
}
