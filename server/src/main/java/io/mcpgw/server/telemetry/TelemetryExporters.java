package io.mcpgw.server.telemetry;

import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.List;

/**
 * Exporters an embedding program adds besides the configured ones, e.g. a test's in-memory exporters. Spans go
 * to them as each ends.
 */
public record TelemetryExporters(List<SpanExporter> spans, List<MetricReader> metrics) {

    public static final TelemetryExporters NONE = new TelemetryExporters(List.of(), List.of());

    public TelemetryExporters {
        spans = List.copyOf(spans);
        metrics = List.copyOf(metrics);
    }
}
