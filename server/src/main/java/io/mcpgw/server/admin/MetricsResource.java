package io.mcpgw.server.admin;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.telemetry.PrometheusText;
import io.undertow.util.Headers;
import java.nio.charset.StandardCharsets;

/** {@code GET /metrics}: the gateway's metrics as Prometheus text. */
@Singleton
final class MetricsResource implements AdminResource {

    private final PrometheusText metrics;

    @Inject
    MetricsResource(PrometheusText metrics) {
        this.metrics = metrics;
    }

    @Override
    public void register(AdminRoutes routes) {
        routes.get("/metrics", request -> {
            request.exchange().getResponseHeaders().put(Headers.CONTENT_TYPE, PrometheusText.CONTENT_TYPE);
            request.exchange().getResponseSender().send(metrics.scrape(), StandardCharsets.UTF_8);
        });
    }
}
