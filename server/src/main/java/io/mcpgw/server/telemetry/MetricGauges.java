package io.mcpgw.server.telemetry;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.audit.AuditJournal;
import io.mcpgw.server.egress.Backend;
import io.mcpgw.server.egress.BackendManager;
import io.mcpgw.server.egress.BackendStatus;
import io.mcpgw.server.session.SessionStore;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import java.util.List;
import java.util.Locale;

/**
 * What is read when metrics are collected: each backend's state and circuit (1 for the current one, 0 for the
 * others, so a dashboard can alert on {@code state="unavailable"}), calls in flight, active sessions, and each audit
 * sink's backlog.
 */
@Singleton
public final class MetricGauges {

    private static final AttributeKey<String> STATE = AttributeKey.stringKey("state");
    private static final AttributeKey<String> SINK = AttributeKey.stringKey("sink");
    private static final List<String> CIRCUIT_STATES = List.of("closed", "open", "half_open");

    @Inject
    MetricGauges(Telemetry telemetry, BackendManager backends, SessionStore sessions, AuditJournal journal) {
        Meter meter = telemetry.meter();
        meter.gaugeBuilder("mcpgw.backend.state").ofLongs().setDescription("1 for the state each backend is in, 0 for the others")
                .buildWithCallback(gauge -> {
                    for (Backend backend : backends.all()) {
                        for (BackendStatus.State state : BackendStatus.State.values()) {
                            gauge.record(backend.status().state() == state ? 1 : 0,
                                    Attributes.of(GatewayMetrics.BACKEND, backend.id(), STATE, state.name().toLowerCase(Locale.ROOT)));
                        }
                    }
                });
        meter.gaugeBuilder("mcpgw.backend.circuit").ofLongs().setDescription("1 for the state each backend's circuit is in, 0 for the others")
                .buildWithCallback(gauge -> {
                    for (Backend backend : backends.all()) {
                        String current = backend.circuitState();
                        CIRCUIT_STATES.forEach(state -> gauge.record(state.equals(current) ? 1 : 0,
                                Attributes.of(GatewayMetrics.BACKEND, backend.id(), STATE, state)));
                    }
                });
        meter.upDownCounterBuilder("mcpgw.backend.calls.in_flight").setDescription("Client calls sent to each backend and not yet answered")
                .buildWithCallback(gauge -> backends.all().forEach(backend ->
                        gauge.record(backend.callsInFlight(), Attributes.of(GatewayMetrics.BACKEND, backend.id()))));
        meter.upDownCounterBuilder("mcpgw.sessions.active").setDescription("Client sessions open")
                .buildWithCallback(gauge -> gauge.record(sessions.count()));
        meter.gaugeBuilder("mcpgw.audit.queue.depth").ofLongs().setDescription("Audit events in memory waiting for each sink")
                .buildWithCallback(gauge -> journal.backlog().forEach(backlog ->
                        gauge.record(backlog.queued(), Attributes.of(SINK, backlog.sink()))));
        meter.gaugeBuilder("mcpgw.audit.spool.size").ofLongs().setUnit("By").setDescription("Audit events spooled to disk for each sink")
                .buildWithCallback(gauge -> journal.backlog().forEach(backlog ->
                        gauge.record(backlog.spooledBytes(), Attributes.of(SINK, backlog.sink()))));
    }
}
