package io.mcpgw.server.telemetry;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The last minutes of forwarded calls per backend, a second at a time, for the console's charts: each backend has a
 * ring of {@value #SECONDS} one-second slots (calls, errors, and latencies in {@link GatewayMetrics}' buckets), so a
 * call costs a lock held for a few increments, and memory is fixed per backend whatever the traffic.
 */
@Singleton
public final class CallSeries {

    /** How far back the series reaches. */
    public static final int SECONDS = 300;

    private final Map<String, Ring> rings = new ConcurrentHashMap<>();
    private final LongSupplier epochMillis;

    @Inject
    CallSeries() {
        this(System::currentTimeMillis);
    }

    CallSeries(LongSupplier epochMillis) {
        this.epochMillis = epochMillis;
    }

    /** A forwarded call ended, {@code nanos} after it began. */
    void record(String backend, long nanos, boolean failed) {
        rings.computeIfAbsent(backend, id -> new Ring()).record(epochMillis.getAsLong() / 1000, nanos / 1e9, failed);
    }

    /**
     * One backend's calls over a window, in steps.
     *
     * @param callsPerSecond the mean rate of each step
     * @param p50Millis the median latency of each step (0 without calls), from the histogram, interpolated in its bucket
     */
    public record Series(String backend, double[] callsPerSecond, long[] errors, double[] p50Millis, double[] p99Millis) {}

    /**
     * The series of the given backends over a window, oldest step first.
     *
     * @param startSecond the first second (epoch) of the first step; the last step ends with the current second
     */
    public record Window(long startSecond, int step, List<Series> backends) {}

    /** The given backends (others are forgotten) over the last {@code seconds}, in steps of {@code step} seconds. */
    public Window window(Collection<String> backends, int seconds, int step) {
        rings.keySet().retainAll(backends);
        long now = epochMillis.getAsLong() / 1000;
        int steps = Math.max(1, Math.min(seconds, SECONDS) / step);
        List<Series> series = new ArrayList<>();
        for (String backend : backends) {
            Ring ring = rings.get(backend);
            series.add(ring == null ? new Series(backend, new double[steps], new long[steps], new double[steps], new double[steps])
                    : ring.window(backend, now, steps, step));
        }
        return new Window(now - (long) steps * step + 1, step, series);
    }

    /** One backend's slots; each slot knows which second it holds, so a stale one reads as empty. */
    private static final class Ring {
        private static final double[] BOUNDS = GatewayMetrics.LATENCY_BUCKETS.stream().mapToDouble(Double::doubleValue).toArray();

        private final long[] second = new long[SECONDS];
        private final int[] calls = new int[SECONDS];
        private final int[] errors = new int[SECONDS];
        /** Per slot, calls by latency bucket: {@code BOUNDS.length} bounded buckets and one past the last bound. */
        private final int[][] latencies = new int[SECONDS][BOUNDS.length + 1];

        Ring() {
            Arrays.fill(second, -1);
        }

        synchronized void record(long now, double seconds, boolean failed) {
            int slot = (int) Math.floorMod(now, (long) SECONDS);
            if (second[slot] != now) {
                second[slot] = now;
                calls[slot] = 0;
                errors[slot] = 0;
                Arrays.fill(latencies[slot], 0);
            }
            calls[slot]++;
            if (failed) {
                errors[slot]++;
            }
            int bucket = Arrays.binarySearch(BOUNDS, seconds);
            latencies[slot][bucket >= 0 ? bucket : -bucket - 1]++;
        }

        synchronized Series window(String backend, long now, int steps, int step) {
            double[] rate = new double[steps];
            long[] failed = new long[steps];
            double[] p50 = new double[steps];
            double[] p99 = new double[steps];
            int[] histogram = new int[BOUNDS.length + 1];
            for (int index = 0; index < steps; index++) {
                Arrays.fill(histogram, 0);
                long total = 0;
                long first = now - (long) (steps - index) * step + 1;
                for (long at = first; at < first + step; at++) {
                    int slot = (int) Math.floorMod(at, (long) SECONDS);
                    if (second[slot] != at) {
                        continue;
                    }
                    total += calls[slot];
                    failed[index] += errors[slot];
                    for (int bucket = 0; bucket < histogram.length; bucket++) {
                        histogram[bucket] += latencies[slot][bucket];
                    }
                }
                rate[index] = (double) total / step;
                p50[index] = quantileMillis(histogram, total, 0.50);
                p99[index] = quantileMillis(histogram, total, 0.99);
            }
            return new Series(backend, rate, failed, p50, p99);
        }

        /** The latency below which {@code q} of the calls fall, linear within its bucket; the last bound past it. */
        private static double quantileMillis(int[] histogram, long total, double q) {
            if (total == 0) {
                return 0;
            }
            double rank = q * total;
            long below = 0;
            for (int bucket = 0; bucket < histogram.length; bucket++) {
                if (below + histogram[bucket] >= rank && histogram[bucket] > 0) {
                    if (bucket == BOUNDS.length) {
                        return BOUNDS[BOUNDS.length - 1] * 1000;
                    }
                    double lower = bucket == 0 ? 0 : BOUNDS[bucket - 1];
                    double fraction = (rank - below) / histogram[bucket];
                    return (lower + (BOUNDS[bucket] - lower) * fraction) * 1000;
                }
                below += histogram[bucket];
            }
            return BOUNDS[BOUNDS.length - 1] * 1000;
        }
    }
}
