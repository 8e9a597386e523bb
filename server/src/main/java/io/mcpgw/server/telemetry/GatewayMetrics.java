package io.mcpgw.server.telemetry;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.util.List;
import java.util.Optional;

/**
 * What the gateway counts as it works: calls (latency and failures per backend and tool, and per backend the last
 * minutes in {@link CallSeries}), sessions, backend state transitions and quota throttles. Attributes are bounded: tools and prompts by name, resources only by
 * backend (their URIs are unbounded).
 */
@Singleton
public final class GatewayMetrics {

    public static final AttributeKey<String> BACKEND = AttributeKey.stringKey("backend");
    static final AttributeKey<String> TOOL = AttributeKey.stringKey("tool");
    static final AttributeKey<String> METHOD = AttributeKey.stringKey("method");
    static final AttributeKey<String> TENANT = AttributeKey.stringKey("tenant");
    static final AttributeKey<String> ERROR_CODE = AttributeKey.stringKey("error_code");
    static final AttributeKey<String> ERROR_KIND = AttributeKey.stringKey("error_kind");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");
    static final AttributeKey<String> FROM = AttributeKey.stringKey("from");
    static final AttributeKey<String> TO = AttributeKey.stringKey("to");
    static final AttributeKey<String> QUOTA = AttributeKey.stringKey("quota");
    static final List<Double> LATENCY_BUCKETS = List.of(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0,
            2.5, 5.0, 10.0, 30.0, 60.0);

    private final DoubleHistogram callDuration;
    private final LongCounter callFailures;
    private final LongCounter sessionsStarted;
    private final LongCounter sessionsEnded;
    private final LongCounter transitions;
    private final LongCounter throttles;
    private final CallSeries series;

    @Inject
    GatewayMetrics(Telemetry telemetry, CallSeries series) {
        this.series = series;
        Meter meter = telemetry.meter();
        callDuration = meter.histogramBuilder("mcpgw.call.duration").setUnit("s")
                .setDescription("Time from a client's request to its answer, for calls forwarded to a backend")
                .setExplicitBucketBoundariesAdvice(LATENCY_BUCKETS).build();
        callFailures = meter.counterBuilder("mcpgw.call.failures")
                .setDescription("Forwarded calls answered with an error, by error code and whose fault it is (user, external, internal)")
                .build();
        sessionsStarted = meter.counterBuilder("mcpgw.sessions.started").setDescription("Client sessions started").build();
        sessionsEnded = meter.counterBuilder("mcpgw.sessions.ended").setDescription("Client sessions ended").build();
        transitions = meter.counterBuilder("mcpgw.backend.transitions")
                .setDescription("Backend state changes (health, circuit, operator)").build();
        throttles = meter.counterBuilder("mcpgw.quota.throttles").setDescription("Invocations refused by a quota or a throttling policy")
                .build();
    }

    /**
     * A forwarded call ended.
     *
     * @param tool the namespaced tool or prompt, empty for calls whose target is unbounded (resource URIs)
     * @param errorCode the JSON-RPC error code, when it failed; counted with its {@link ErrorCode#kindOf kind}
     */
    public void callEnded(String backend, String method, Optional<String> tool, long nanos, Optional<Integer> errorCode) {
        Attributes attributes = Attributes.of(BACKEND, backend, METHOD, method, TOOL, tool.orElse(""),
                OUTCOME, errorCode.isPresent() ? "error" : "ok");
        callDuration.record(nanos / 1e9, attributes);
        series.record(backend, nanos, errorCode.isPresent());
        errorCode.ifPresent(code -> callFailures.add(1, Attributes.of(BACKEND, backend, METHOD, method, TOOL, tool.orElse(""),
                ERROR_CODE, Integer.toString(code), ERROR_KIND, ErrorCode.kindOf(code).label())));
    }

    public void sessionStarted(String tenant) {
        sessionsStarted.add(1, Attributes.of(TENANT, tenant));
    }

    public void sessionEnded(String tenant) {
        sessionsEnded.add(1, Attributes.of(TENANT, tenant));
    }

    /** A backend moved between states; {@code kind} is {@code state} (health, operator) or {@code circuit}. */
    public void transition(String backend, String kind, String from, String to) {
        transitions.add(1, Attributes.of(BACKEND, backend, AttributeKey.stringKey("kind"), kind, FROM, from, TO, to));
    }

    public void throttled(String tenant, String quota) {
        throttles.add(1, Attributes.of(TENANT, tenant, QUOTA, quota));
    }
}
