package io.mcpgw.server.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.testkit.AdminClient;
import io.mcpgw.testkit.ModernMcp;
import io.mcpgw.testkit.RawMcp;
import io.mcpgw.testkit.TestingBackendConfig;
import io.mcpgw.testkit.TestingConfig;
import io.mcpgw.testkit.TestingGateway;
import io.mcpgw.testkit.TestingHttpMcpBackend;
import io.mcpgw.testkit.TestingMcpBackend;
import io.mcpgw.testkit.TestingOtlpCollector;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Traces and metrics of real calls, seen through the SDK's in-memory exporters and the admin listener's /metrics. */
class TelemetryIT {

    private static final String TOKEN = "admin-token-0123456789abcdef";
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path home;

    private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    private static final InMemoryMetricReader METRICS = InMemoryMetricReader.create();
    private static TestingHttpMcpBackend httpBackend;
    private static TestingGateway gateway;

    @BeforeAll
    static void startGateway() throws Exception {
        httpBackend = new TestingHttpMcpBackend();
        gateway = TestingConfig.gateway()
                .admin(TOKEN)
                .backend(TestingBackendConfig.stdio("local", TestingMcpBackend.class).with("requestTimeout: 500ms"))
                .backend(TestingBackendConfig.http("remote", httpBackend.uri()))
                .exporters(new TelemetryExporters(List.of(SPANS), List.of(METRICS)))
                .startReady(home);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        httpBackend.close();
    }

    @BeforeEach
    void forgetSpans() {
        SPANS.reset();
    }

    @Test
    void aCallIsOneSpanWithPolicyCredentialsAndBackendChildren() {
        RawMcp client = new RawMcp(gateway, null, "/mcp").initialized();
        SPANS.reset();
        client.call("local__echo", "{\"text\":\"hi\"}");

        await().atMost(Duration.ofSeconds(5)).until(() -> SPANS.getFinishedSpanItems().size() >= 4);
        List<SpanData> spans = SPANS.getFinishedSpanItems();
        SpanData request = spans.stream().filter(span -> span.getName().equals("tools/call local__echo")).findFirst().orElseThrow();
        assertThat(request.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(request.getAttributes().get(AttributeKey.stringKey("mcp.session.id"))).isEqualTo(client.sessionId());
        assertThat(request.getParentSpanContext().isValid()).as("no caller context: a new trace").isFalse();
        for (String child : List.of("policy", "credentials", "backend tools/call")) {
            SpanData found = spans.stream().filter(span -> span.getName().equals(child)).findFirst().orElseThrow();
            assertThat(found.getTraceId()).isEqualTo(request.getTraceId());
            assertThat(found.getParentSpanId()).isEqualTo(request.getSpanId());
        }
        assertThat(spans.stream().filter(span -> span.getName().equals("backend tools/call")).findFirst().orElseThrow().getKind())
                .isEqualTo(SpanKind.CLIENT);
    }

    @Test
    void theCallersTraceparentIsHonouredAndReachesAnHttpBackendInHeaderAndMeta() throws Exception {
        RawMcp client = new RawMcp(gateway, null, "/mcp").initialized();
        String traceparent = "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01";
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(gateway.baseUri().resolve("/mcp"))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .header("Mcp-Session-Id", client.sessionId()).header("traceparent", traceparent)
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"remote__traced","arguments":{}}}"""))
                .build(), HttpResponse.BodyHandlers.ofString());
        String seen = JsonRpc.MAPPER.readTree(response.body()).path("result").path("content").path(0).path("text").asText();

        await().atMost(Duration.ofSeconds(5)).until(() -> SPANS.getFinishedSpanItems().stream()
                .anyMatch(span -> span.getName().equals("tools/call remote__traced")));
        SpanData request = SPANS.getFinishedSpanItems().stream().filter(span -> span.getName().equals("tools/call remote__traced"))
                .findFirst().orElseThrow();
        assertThat(request.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(request.getParentSpanId()).isEqualTo(CALLER_SPAN);
        SpanData backendCall = SPANS.getFinishedSpanItems().stream().filter(span -> span.getName().equals("backend tools/call")
                && span.getTraceId().equals(TRACE_ID)).findFirst().orElseThrow();
        String expected = "00-" + TRACE_ID + "-" + backendCall.getSpanId() + "-01";
        assertThat(seen).isEqualTo("header=" + expected + " meta=" + expected);
    }

    @Test
    void aTraceparentInMetaWinsForTransportsWithoutHeaders() {
        RawMcp client = new RawMcp(gateway, null, "/mcp").initialized();
        client.request("tools/call", """
                {"name":"local__echo","arguments":{"text":"x"},"_meta":{"traceparent":"00-%s-%s-01"}}""".formatted(TRACE_ID, CALLER_SPAN));
        await().atMost(Duration.ofSeconds(5)).until(() -> SPANS.getFinishedSpanItems().stream()
                .anyMatch(span -> span.getName().equals("tools/call local__echo") && span.getTraceId().equals(TRACE_ID)));
    }

    @Test
    void aModernRequestTakesItsTraceContextFromMetaOrElseFromItsHeaders() {
        String fromMeta = "5bf92f3577b34da6a3ce929d0e0e4737";
        String fromHeader = "6bf92f3577b34da6a3ce929d0e0e4738";
        ModernMcp client = new ModernMcp(gateway, null, "/mcp");
        client.request("tools/call", """
                {"name":"local__echo","arguments":{"text":"m"},"_meta":{"traceparent":"00-%s-%s-01"}}""".formatted(fromMeta, CALLER_SPAN));
        client.send(client.body(2, "tools/call", "{\"name\":\"local__echo\",\"arguments\":{\"text\":\"h\"}}"), "tools/call",
                Map.of("traceparent", "00-" + fromHeader + "-" + CALLER_SPAN + "-01"));
        for (String traceId : List.of(fromMeta, fromHeader)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> SPANS.getFinishedSpanItems().stream()
                    .anyMatch(span -> span.getName().equals("tools/call local__echo") && span.getTraceId().equals(traceId)
                            && span.getParentSpanId().equals(CALLER_SPAN)));
            await().atMost(Duration.ofSeconds(5)).until(() -> SPANS.getFinishedSpanItems().stream()
                    .anyMatch(span -> span.getName().equals("backend tools/call") && span.getTraceId().equals(traceId)));
        }
    }

    @Test
    void callsAndFailuresAreMeteredPerBackendAndTool() {
        RawMcp client = new RawMcp(gateway, null, "/mcp").initialized();
        client.call("local__echo", "{\"text\":\"x\"}");
        client.call("local__echo", "{\"text\":\"y\"}");
        client.call("local__unlisted", "{}");
        assertThat(client.call("local__slow", "{\"millis\":1500}").path("error").path("code").asInt()).isEqualTo(-32011);

        Map<String, MetricData> metrics = new HashMap<>();
        METRICS.collectAllMetrics().forEach(metric -> metrics.put(metric.getName(), metric));
        long echoes = metrics.get("mcpgw.call.duration").getHistogramData().getPoints().stream()
                .filter(point -> "local__echo".equals(point.getAttributes().get(AttributeKey.stringKey("tool"))))
                .mapToLong(point -> point.getCount()).sum();
        assertThat(echoes).isGreaterThanOrEqualTo(2);
        assertThat(metrics.get("mcpgw.call.failures").getLongSumData().getPoints())
                .anyMatch(point -> "local__slow".equals(point.getAttributes().get(AttributeKey.stringKey("tool")))
                        && "-32011".equals(point.getAttributes().get(AttributeKey.stringKey("error_code")))
                        && "external".equals(point.getAttributes().get(AttributeKey.stringKey("error_kind"))))
                .as("the gateway's own refusal of an unknown tool is no backend failure")
                .noneMatch(point -> "local__unlisted".equals(point.getAttributes().get(AttributeKey.stringKey("tool"))));
        assertThat(metrics).containsKeys("mcpgw.sessions.started", "mcpgw.sessions.active", "mcpgw.backend.state", "mcpgw.backend.circuit");
        long up = metrics.get("mcpgw.backend.state").getLongGaugeData().getPoints().stream()
                .filter(point -> "up".equals(point.getAttributes().get(AttributeKey.stringKey("state"))))
                .mapToLong(point -> point.getValue()).sum();
        assertThat(up).isEqualTo(2);
    }

    @Test
    void tracesAndMetricsAreExportedToAnOtlpCollector(@TempDir Path otherHome) throws Exception {
        try (TestingOtlpCollector collector = new TestingOtlpCollector()) {
            try (TestingGateway exporting = TestingConfig.gateway()
                    .yaml("""
                            telemetry:
                              serviceName: mcpgw-test
                              otlp:
                                endpoint: %s
                                headers: { api-key: "collector-key" }
                            """.formatted(collector.endpoint()))
                    .backend(TestingBackendConfig.stdio("local", TestingMcpBackend.class))
                    .startReady(otherHome)) {
                new RawMcp(exporting, null, "/mcp").initialized().call("local__echo", "{\"text\":\"x\"}");
            }
            assertThat(collector.exports()).as("what was recorded is flushed when the gateway stops")
                    .anyMatch(export -> export.path().equals("/v1/traces") && export.bytes() > 0)
                    .anyMatch(export -> export.path().equals("/v1/metrics") && export.bytes() > 0)
                    .allMatch(export -> "application/x-protobuf".equals(export.header("content-type")))
                    .allMatch(export -> "collector-key".equals(export.header("api-key")));
        }
    }

    @Test
    void metricsAreServedAsPrometheusTextOnTheAdminListener() {
        RawMcp client = new RawMcp(gateway, null, "/mcp").initialized();
        client.call("local__echo", "{\"text\":\"x\"}");
        JsonNode unknown = client.call("local__nope", "{}");
        assertThat(unknown.has("error")).isTrue();

        AdminClient.Answer scraped = new AdminClient(gateway.adminUri(), TOKEN).get("/metrics");
        assertThat(scraped.status()).isEqualTo(200);
        assertThat(scraped.header("Content-Type")).startsWith("text/plain; version=0.0.4");
        Map<String, String> types = new HashMap<>();
        Map<String, Double> samples = new HashMap<>();
        for (String line : scraped.body().split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                types.put(parts[2], parts[3]);
            } else if (!line.startsWith("#") && !line.isEmpty()) {
                Matcher sample = SAMPLE.matcher(line);
                assertThat(sample.matches()).as("a valid sample line: " + line).isTrue();
                samples.merge(sample.group(1) + "{" + (sample.group(3) == null ? "" : sample.group(3)) + "}",
                        Double.parseDouble(sample.group(4).replace("+Inf", "Infinity")), Double::sum);
            }
        }
        assertThat(types).containsEntry("mcpgw_call_duration_seconds", "histogram")
                .containsEntry("mcpgw_sessions_started_total", "counter")
                .containsEntry("mcpgw_backend_state", "gauge")
                .containsEntry("mcpgw_sessions_active", "gauge");
        assertThat(samples.keySet()).anyMatch(key -> key.startsWith("mcpgw_call_duration_seconds_bucket{")
                && key.contains("tool=\"local__echo\"") && key.contains("le=\"+Inf\""));
        assertThat(samples.get("mcpgw_backend_state{backend=\"local\",state=\"up\"}")).isEqualTo(1.0);
        assertThat(samples.get("mcpgw_backend_circuit{backend=\"remote\",state=\"closed\"}")).isEqualTo(1.0);
        assertThat(samples.get("mcpgw_sessions_active{}")).isGreaterThanOrEqualTo(1.0);
    }
}
