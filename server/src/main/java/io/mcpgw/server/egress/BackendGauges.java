package io.mcpgw.server.egress;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.telemetry.GatewayMetrics;
import io.mcpgw.server.telemetry.Telemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import java.util.List;
import java.util.Locale;

/**
 * What is read of the backends when metrics are collected: each one's state and circuit (1 for the current one, 0
 * for the others, so a dashboard can alert on {@code state="unavailable"}) and its calls in flight.
 */
@Singleton
public final class BackendGauges {

    private static final AttributeKey<String> STATE = AttributeKey.stringKey("state");
    private static final List<String> CIRCUIT_STATES = List.of("closed", "open", "half_open");

    @Inject
    BackendGauges(Telemetry telemetry, BackendManager backends) {
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
    }
}
