package io.mcpgw.server.telemetry;

import com.google.inject.Singleton;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The metrics as Prometheus text (exposition format 0.0.4), collected when scraped. Names follow the
 * OpenTelemetry-to-Prometheus conventions: dots become underscores, the unit is a suffix ({@code _seconds},
 * {@code _bytes}), counters end in {@code _total}, histograms have {@code _bucket}, {@code _sum} and {@code _count}.
 */
@Singleton
public final class PrometheusText implements MetricReader {

    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private volatile CollectionRegistration registration = CollectionRegistration.noop();

    @Override
    public void register(CollectionRegistration registration) {
        this.registration = registration;
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
        return AggregationTemporality.CUMULATIVE;
    }

    @Override
    public CompletableResultCode forceFlush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        registration = CollectionRegistration.noop();
        return CompletableResultCode.ofSuccess();
    }

    /** Every metric now, as Prometheus text. */
    public String scrape() {
        List<MetricData> metrics = new ArrayList<>(registration.collectAllMetrics());
        metrics.sort(Comparator.comparing(MetricData::getName));
        StringBuilder text = new StringBuilder();
        for (MetricData metric : metrics) {
            write(text, metric);
        }
        return text.toString();
    }

    private static void write(StringBuilder text, MetricData metric) {
        String base = sanitize(metric.getName()) + unitSuffix(metric.getUnit());
        switch (metric.getType()) {
            case LONG_SUM, DOUBLE_SUM -> {
                SumData<? extends PointData> sum = metric.getType() == MetricDataType.LONG_SUM
                        ? metric.getLongSumData() : metric.getDoubleSumData();
                String name = sum.isMonotonic() ? base + "_total" : base;
                header(text, name, metric.getDescription(), sum.isMonotonic() ? "counter" : "gauge");
                sum.getPoints().forEach(point -> sample(text, name, point.getAttributes(), null, value(point)));
            }
            case LONG_GAUGE, DOUBLE_GAUGE -> {
                header(text, base, metric.getDescription(), "gauge");
                List<? extends PointData> points = metric.getType() == MetricDataType.LONG_GAUGE
                        ? List.copyOf(metric.getLongGaugeData().getPoints()) : List.copyOf(metric.getDoubleGaugeData().getPoints());
                points.forEach(point -> sample(text, base, point.getAttributes(), null, value(point)));
            }
            case HISTOGRAM -> {
                header(text, base, metric.getDescription(), "histogram");
                for (HistogramPointData point : metric.getHistogramData().getPoints()) {
                    long cumulative = 0;
                    List<Double> bounds = point.getBoundaries();
                    for (int i = 0; i < point.getCounts().size(); i++) {
                        cumulative += point.getCounts().get(i);
                        String le = i < bounds.size() ? number(bounds.get(i)) : "+Inf";
                        sample(text, base + "_bucket", point.getAttributes(), le, Long.toString(cumulative));
                    }
                    sample(text, base + "_sum", point.getAttributes(), null, number(point.getSum()));
                    sample(text, base + "_count", point.getAttributes(), null, Long.toString(point.getCount()));
                }
            }
            default -> {
                // summaries and exponential histograms are not recorded by the gateway
            }
        }
    }

    private static void header(StringBuilder text, String name, String description, String type) {
        if (!description.isEmpty()) {
            text.append("# HELP ").append(name).append(' ').append(description.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
        }
        text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder text, String name, Attributes attributes, String le, String value) {
        text.append(name);
        Map<AttributeKey<?>, Object> labels = attributes.asMap();
        if (!labels.isEmpty() || le != null) {
            text.append('{');
            List<String> pairs = new ArrayList<>();
            labels.entrySet().stream().sorted(Comparator.comparing(entry -> entry.getKey().getKey()))
                    .forEach(entry -> pairs.add(sanitize(entry.getKey().getKey()) + "=\"" + escape(String.valueOf(entry.getValue())) + "\""));
            if (le != null) {
                pairs.add("le=\"" + le + "\"");
            }
            text.append(String.join(",", pairs)).append('}');
        }
        text.append(' ').append(value).append('\n');
    }

    private static String value(PointData point) {
        return point instanceof LongPointData longPoint ? Long.toString(longPoint.getValue())
                : number(((DoublePointData) point).getValue());
    }

    private static String number(double value) {
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    private static String unitSuffix(String unit) {
        return switch (unit) {
            case "s" -> "_seconds";
            case "ms" -> "_milliseconds";
            case "By" -> "_bytes";
            default -> "";
        };
    }

    private static String sanitize(String name) {
        String sanitized = name.replaceAll("[^a-zA-Z0-9_:]", "_");
        return Character.isDigit(sanitized.charAt(0)) ? "_" + sanitized : sanitized;
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
