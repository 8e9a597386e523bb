package io.mcpgw.server.audit;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.telemetry.Telemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;

/** What is read of the audit journal when metrics are collected: each sink's backlog, in memory and spooled to disk. */
@Singleton
public final class AuditGauges {

    private static final AttributeKey<String> SINK = AttributeKey.stringKey("sink");

    @Inject
    AuditGauges(Telemetry telemetry, AuditJournal journal) {
        Meter meter = telemetry.meter();
        meter.gaugeBuilder("mcpgw.audit.queue.depth").ofLongs().setDescription("Audit events in memory waiting for each sink")
                .buildWithCallback(gauge -> journal.backlog().forEach(backlog ->
                        gauge.record(backlog.queued(), Attributes.of(SINK, backlog.sink()))));
        meter.gaugeBuilder("mcpgw.audit.spool.size").ofLongs().setUnit("By").setDescription("Audit events spooled to disk for each sink")
                .buildWithCallback(gauge -> journal.backlog().forEach(backlog ->
                        gauge.record(backlog.spooledBytes(), Attributes.of(SINK, backlog.sink()))));
    }
}
