package io.mcpgw.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.plugins.audit.kafka.KafkaAuditSinkFactory;
import io.mcpgw.plugins.audit.postgres.PostgresAuditSinkFactory;
import io.mcpgw.server.config.ExtensionSection;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.server.plugin.ExtensionKind;
import io.mcpgw.server.plugin.HostExtensionContext;
import io.mcpgw.server.plugin.RegisteredFactory;
import io.mcpgw.spi.audit.AuditEvent;
import io.mcpgw.spi.audit.AuditEventType;
import io.mcpgw.spi.audit.AuditSink;
import io.mcpgw.spi.audit.AuditSinkFactory;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * Events per second into each shipped audit store, on this machine: a real single-node Kafka (KRaft, in-process)
 * and a real PostgreSQL (embedded binaries), each written by its sink as the journal's writer thread does: one
 * batch at a time, in order. Run with {@code bench/run-sinks [events] [batchSize]}.
 */
public final class SinkThroughput {

    private SinkThroughput() {}

    public static void main(String[] arguments) throws Exception {
        int events = arguments.length > 0 ? Integer.parseInt(arguments[0]) : 200_000;
        int batchSize = arguments.length > 1 ? Integer.parseInt(arguments[1]) : 500;
        List<AuditEvent> all = events(events);
        System.out.printf(Locale.ROOT, "audit sink throughput: %d events in batches of %d, %d cores%n", events, batchSize,
                Runtime.getRuntime().availableProcessors());

        try (KafkaClusterTestKit kafka = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setNumBrokerNodes(1)
                .setNumControllerNodes(1).build())
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "1")
                .setConfigProp("num.partitions", "3")
                .build()) {
            kafka.format();
            kafka.startup();
            kafka.waitForReadyBrokers();
            ObjectNode settings = JsonRpc.MAPPER.createObjectNode().put("bootstrapServers", kafka.bootstrapServers()).put("topic", "bench");
            measure("kafka", new KafkaAuditSinkFactory(), settings, all, batchSize);
        }
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            ObjectNode settings = JsonRpc.MAPPER.createObjectNode().put("url", "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres")
                    .put("user", "postgres");
            measure("postgres", new PostgresAuditSinkFactory(), settings, all, batchSize);
        }
    }

    private static void measure(String store, AuditSinkFactory factory, ObjectNode settings, List<AuditEvent> events, int batchSize)
            throws Exception {
        Path data = Files.createTempDirectory("mcpgw-sink-bench");
        ExtensionSection section = new ExtensionSection("bench", "audit[0]", factory.name(), settings);
        RegisteredFactory registered = new RegisteredFactory(ExtensionKind.AUDIT, factory, "bench");
        try (AuditSink sink = factory.create(new HostExtensionContext(section, registered, Clock.systemUTC(), data, "bench"))) {
            int warmup = Math.min(events.size() / 10, 20_000);
            write(sink, events.subList(0, warmup), batchSize);
            long started = System.nanoTime();
            write(sink, events.subList(warmup, events.size()), batchSize);
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(Locale.ROOT, "%-9s %,10.0f events/s (%,d events after %,d to warm up, %.1f s)%n", store,
                    (events.size() - warmup) / seconds, events.size() - warmup, warmup, seconds);
        }
    }

    private static void write(AuditSink sink, List<AuditEvent> events, int batchSize) throws Exception {
        for (int from = 0; from < events.size(); from += batchSize) {
            sink.write(events.subList(from, Math.min(events.size(), from + batchSize)));
        }
    }

    /** Events shaped like a tool call's: 40 sessions of 4 tenants, with the fields a real invocation event has. */
    private static List<AuditEvent> events(int count) {
        List<AuditEvent> events = new ArrayList<>(count);
        Instant now = Instant.now();
        for (int i = 0; i < count; i++) {
            events.add(new AuditEvent(UUID.randomUUID().toString(), now.plusNanos(i * 1000L), AuditEventType.INVOCATION_COMPLETE,
                    Optional.of("tenant-" + (i % 4)), Optional.of("client-" + (i % 7)), Optional.of("session-" + (i % 40)), Optional.empty(),
                    Optional.of("github"), Optional.of("github__create_issue"), Optional.of(Integer.toString(i)),
                    Optional.of(UUID.randomUUID().toString().replace("-", "")), Optional.of("ok"), Optional.empty(),
                    Optional.of(1200L + i % 500), Map.of("method", "tools/call")));
        }
        return events;
    }
}
