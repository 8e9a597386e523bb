package io.mcpgw.server.telemetry;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.GatewayVersion;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.config.TelemetryConfig;
import io.mcpgw.server.lifecycle.ManagedService;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.SdkMeterProviderBuilder;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's own OpenTelemetry SDK (never the global one, so an embedding program keeps its own): traces
 * sampled by ratio unless the caller's {@code traceparent} decided, metrics always readable as Prometheus text,
 * both exported by OTLP/HTTP when configured. Stopped last, so what the other services record on their way out
 * is flushed.
 */
@Singleton
public final class Telemetry implements ManagedService {

    public static final String SCOPE = "io.mcpgw";
    private static final long FLUSH_SECONDS = 5;

    private final OpenTelemetrySdk sdk;

    @Inject
    Telemetry(McpgwConfig config, PrometheusText prometheus, TelemetryExporters extra) {
        TelemetryConfig settings = config.telemetry();
        Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(
                AttributeKey.stringKey("service.name"), settings.serviceName(),
                AttributeKey.stringKey("service.version"), GatewayVersion.full())));
        SdkTracerProviderBuilder tracing = SdkTracerProvider.builder().setResource(resource)
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(settings.sampleRatio())));
        SdkMeterProviderBuilder metering = SdkMeterProvider.builder().setResource(resource).registerMetricReader(prometheus);
        extra.spans().forEach(exporter -> tracing.addSpanProcessor(SimpleSpanProcessor.create(exporter)));
        extra.metrics().forEach(metering::registerMetricReader);
        settings.otlp().ifPresent(otlp -> {
            OtlpHttpSpanExporterBuilder spans = OtlpHttpSpanExporter.builder().setEndpoint(otlp.endpoint() + "/v1/traces");
            OtlpHttpMetricExporterBuilder metrics = OtlpHttpMetricExporter.builder().setEndpoint(otlp.endpoint() + "/v1/metrics");
            otlp.headers().forEach((name, value) -> {
                spans.addHeader(name, value);
                metrics.addHeader(name, value);
            });
            tracing.addSpanProcessor(BatchSpanProcessor.builder(spans.build()).build());
            metering.registerMetricReader(PeriodicMetricReader.builder(metrics.build()).setInterval(otlp.interval()).build());
        });
        this.sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(tracing.build())
                .setMeterProvider(metering.build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
    }

    public Tracer tracer() {
        return sdk.getTracer(SCOPE, GatewayVersion.full());
    }

    public Meter meter() {
        return sdk.getMeter(SCOPE);
    }

    public ContextPropagators propagators() {
        return sdk.getPropagators();
    }

    @Override
    public String name() {
        return "telemetry";
    }

    @Override
    public void start() {}

    @Override
    public void stop() {
        sdk.shutdown().join(FLUSH_SECONDS, TimeUnit.SECONDS);
    }
}
