package io.mcpgw.plugins.audit.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.server.audit.AuditEventBuilder;
import io.mcpgw.server.demo.DemoBackend;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.spi.audit.AuditEventType;
import io.mcpgw.spi.audit.JournaledEvent;
import io.mcpgw.testkit.JavaCommand;
import io.mcpgw.testkit.RawMcp;
import io.mcpgw.testkit.TestingGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built plugin zip in a real gateway's {@code plugins/} directory, writing to a real Kafka broker (KRaft,
 * in-process) that is stopped and started again while calls go on. A {@code file} sink in the same gateway is the
 * record of what the journal sent.
 */
class KafkaAuditIT {

    private static final String TOPIC = "audit";

    @TempDir
    static Path home;

    private static KafkaClusterTestKit cluster;

    @BeforeAll
    static void startKafka() throws Exception {
        cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setNumBrokerNodes(1).setNumControllerNodes(1).build())
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "1")
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("num.partitions", "3")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        cluster.close();
    }

    private static TestingGateway gateway(Path file, String topic) throws InterruptedException {
        TestingGateway.installBuiltPlugin(home);
        return TestingGateway.start(home, """
                server:
                  shutdownTimeout: 2s
                audit:
                  - type: kafka
                    bootstrapServers: %s
                    topic: %s
                    timeout: 3s
                  - type: file
                    path: %s
                journal:
                  batchSize: 20
                  maxBackoff: 1s
                backends:
                  - id: demo
                    transport: stdio
                    command: %s
                """.formatted(cluster.bootstrapServers(), topic, file, JavaCommand.yaml(DemoBackend.class))).awaitReady(Duration.ofSeconds(60));
    }

    @Test
    void everyEventArrivesOnceInOrderPerSessionAcrossABrokerOutage() throws Exception {
        Path file = home.resolve("audit.ndjson");
        try (TestingGateway gateway = gateway(file, TOPIC)) {
            assertThat(gateway.gateway().plugins()).anyMatch(plugin -> plugin.id().equals("audit-kafka"));
            RawMcp.echoSessions(gateway, "demo__echo", 3, 5);

            BrokerServer broker = cluster.brokers().values().iterator().next();
            broker.shutdown();
            broker.awaitShutdown();
            RawMcp.echoSessions(gateway, "demo__echo", 3, 5);
            Thread.sleep(2000);
            broker.startup();
            RawMcp.echoSessions(gateway, "demo__echo", 2, 5);

            List<String> written = writtenToFile(file);
            List<ConsumerRecord<String, String>> records = consume(TOPIC, written.size(), Duration.ofSeconds(60));
            Map<String, List<String>> idsByKey = new LinkedHashMap<>();
            Map<String, String> keyOf = new HashMap<>();
            records.forEach(record -> {
                String id = new String(record.headers().lastHeader(KafkaAuditSink.EVENT_ID_HEADER).value(), StandardCharsets.UTF_8);
                idsByKey.computeIfAbsent(record.key(), key -> new ArrayList<>()).add(id);
                keyOf.put(id, record.key());
            });
            assertThat(records).as(() -> "every event once, none twice; " + missing(TOPIC, written, records)).hasSize(written.size());
            assertThat(keyOf.keySet()).containsExactlyInAnyOrderElementsOf(written);

            Map<String, List<String>> fileOrderByKey = new LinkedHashMap<>();
            written.forEach(id -> fileOrderByKey.computeIfAbsent(keyOf.get(id), key -> new ArrayList<>()).add(id));
            assertThat(idsByKey).as("one session's events in the order they happened").isEqualTo(fileOrderByKey);

            JsonNode first = JsonRpc.MAPPER.readTree(records.getFirst().value());
            assertThat(first.path("id").asText()).isNotEmpty();
            assertThat(first.path("type").asText()).isNotEmpty();
            assertThat(records.stream().map(ConsumerRecord::value)).anyMatch(value -> value.contains("\"tool\":\"demo__echo\""));
        }
    }

    @Test
    void whatTheJournalHeldWhileTheBrokerWasDownArrivesOnceAfterAGatewayRestart() throws Exception {
        String topic = "audit-restart";
        Path file = home.resolve("audit-restart.ndjson");
        BrokerServer broker = cluster.brokers().values().iterator().next();
        try (TestingGateway gateway = gateway(file, topic)) {
            RawMcp.echoSessions(gateway, "demo__echo", 1, 3);
            broker.shutdown();
            broker.awaitShutdown();
            RawMcp.echoSessions(gateway, "demo__echo", 2, 5);
        }
        List<String> written;
        List<String> ids;
        try (TestingGateway again = gateway(file, topic)) {
            RawMcp.echoSessions(again, "demo__echo", 2, 5);
            broker.startup();
            written = writtenToFile(file);
            List<ConsumerRecord<String, String>> records = consume(topic, written.size(), Duration.ofSeconds(90));
            ids = records.stream()
                    .map(record -> new String(record.headers().lastHeader(KafkaAuditSink.EVENT_ID_HEADER).value(), StandardCharsets.UTF_8))
                    .toList();
        }
        assertThat(written).as("calls before, during and after the outage, across the restart").hasSizeGreaterThan(40);
        assertThat(ids).as("every event the journal held across the restart").containsAll(written).doesNotHaveDuplicates();
        // Events may still come after the file was read (sessions ending): each must be one the file has once it is whole.
        assertThat(writtenToFile(file)).as("nothing reached Kafka that the journal did not hold").containsAll(ids);
    }

    /**
     * What the journal gives again when its offset lagged behind Kafka (a gateway killed after the commit, or a commit
     * whose answer was lost): a new sink with the same transactional id, as after a restart, stores only what is new.
     */
    @Test
    void eventsTheJournalGivesAgainAfterTheirCommitAreStoredOnce() throws Exception {
        String topic = "audit-again";
        KafkaAuditSinkFactory.Settings settings = new KafkaAuditSinkFactory.Settings(cluster.bootstrapServers(), topic, null,
                "mcpgw-audit-again", Duration.ofSeconds(20), null, null, null);
        List<JournaledEvent> events = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            events.add(JournaledEvent.of(AuditEventBuilder.event(AuditEventType.INVOCATION_COMPLETE).tool("echo" + i).outcome("ok").build()));
        }
        System.Logger logger = System.getLogger(KafkaAuditIT.class.getName());
        try (KafkaAuditSink first = sink(settings, logger)) {
            first.writeJournaled(events.subList(0, 3));
            first.writeJournaled(events.subList(3, 5));
        }
        try (KafkaAuditSink again = sink(settings, logger)) {
            again.writeJournaled(events.subList(3, 6));
            again.writeJournaled(events.subList(6, 7));
        }
        List<String> stored = consume(topic, events.size(), Duration.ofSeconds(60)).stream()
                .map(record -> new String(record.headers().lastHeader(KafkaAuditSink.EVENT_ID_HEADER).value(), StandardCharsets.UTF_8))
                .toList();
        assertThat(stored).as("each event once, in the journal's order")
                .containsExactlyElementsOf(events.stream().map(event -> event.event().id()).toList());
    }

    private static KafkaAuditSink sink(KafkaAuditSinkFactory.Settings settings, System.Logger logger) {
        Properties properties = settings.properties();
        return new KafkaAuditSink(properties, settings.topic(), new WriterProgress(properties, settings.progressTopic(),
                settings.transactionalId()), settings.timeout(), logger);
    }

    /** The ids of the events the file sink wrote, once it has written nothing new for a second. */
    private static List<String> writtenToFile(Path file) throws Exception {
        List<String> lines = Files.readAllLines(file);
        while (true) {
            Thread.sleep(1000);
            List<String> now = Files.readAllLines(file);
            if (now.size() == lines.size()) {
                break;
            }
            lines = now;
        }
        List<String> written = new ArrayList<>();
        for (String line : lines) {
            written.add(JsonRpc.MAPPER.readTree(line).path("id").asText());
        }
        return written;
    }

    /**
     * What a failure needs to tell lost from hidden: the events the file has and the committed records lack, which of
     * them Kafka holds uncommitted, and where each partition's committed records end against all records.
     */
    private static String missing(String topic, List<String> written, List<ConsumerRecord<String, String>> committed) {
        List<String> absent = new ArrayList<>(written);
        committed.forEach(record -> absent.remove(new String(record.headers().lastHeader(KafkaAuditSink.EVENT_ID_HEADER).value(),
                StandardCharsets.UTF_8)));
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        List<String> uncommitted = new ArrayList<>();
        Map<TopicPartition, Long> allEnd;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                    .map(partition -> new TopicPartition(topic, partition.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            allEnd = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> uncommitted.add(record.partition() + "@" + record.offset() + ":"
                        + new String(record.headers().lastHeader(KafkaAuditSink.EVENT_ID_HEADER).value(), StandardCharsets.UTF_8)));
            }
        }
        Properties committedOnly = new Properties();
        committedOnly.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        committedOnly.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<TopicPartition, Long> committedEnd;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(committedOnly, new StringDeserializer(), new StringDeserializer())) {
            committedEnd = consumer.endOffsets(allEnd.keySet());
        }
        List<String> heldUncommitted = uncommitted.stream().filter(entry -> absent.contains(entry.substring(entry.indexOf(':') + 1))).toList();
        return "missing from the committed records: " + absent + "; of them in Kafka uncommitted: " + heldUncommitted
                + "; committed end per partition: " + committedEnd + ", end of all records: " + allEnd;
    }

    /**
     * The committed records of the topic: read until {@code expected} arrived (or the time is up), then a while
     * longer, so that a record written twice would show.
     */
    private static List<ConsumerRecord<String, String>> consume(String topic, int expected, Duration timeout) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
            long deadline = System.nanoTime() + timeout.toNanos();
            List<TopicPartition> partitions = List.of();
            while (partitions.isEmpty() && System.nanoTime() < deadline) {
                partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                        .map(partition -> new TopicPartition(topic, partition.partition())).toList();
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long extra = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, extra)) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                if (records.size() >= expected && extra == Long.MAX_VALUE) {
                    extra = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                }
            }
        }
        return records;
    }
}
