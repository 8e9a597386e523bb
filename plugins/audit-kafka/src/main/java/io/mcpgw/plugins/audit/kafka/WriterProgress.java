package io.mcpgw.plugins.audit.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * One writer's record, in a compacted topic beside the audit topic, of the events its last transaction held: written
 * in that transaction, so it is committed exactly when they are. When a writer cannot know how its last transaction
 * ended (a commit that timed out, a gateway that stopped or crashed before its journal noted the batch taken), the
 * record says which of the events the journal gives again Kafka already has.
 */
final class WriterProgress {

    /** How many of the last records of the partition are read first; the window grows fourfold until the writer's record is found. */
    private static final int FIRST_WINDOW = 64;

    private final Properties connection;
    private final String topic;
    private final String writer;

    /**
     * @param producer the producer's settings, whose connection settings (servers, TLS, SASL) the reads use too
     * @param writer the transactional id, the record's key
     */
    WriterProgress(Properties producer, String topic, String writer) {
        this.connection = new Properties();
        Set<String> shared = ConsumerConfig.configNames();
        Set<String> admin = AdminClientConfig.configNames();
        producer.forEach((key, value) -> {
            if (shared.contains(key.toString()) && admin.contains(key.toString())) {
                connection.put(key, value);
            }
        });
        this.topic = topic;
        this.writer = writer;
    }

    /** Creates the topic (compacted, one partition, the brokers' replication) unless it is there. */
    void create(Duration timeout) {
        try (Admin admin = Admin.create(connection)) {
            NewTopic created = new NewTopic(topic, Optional.of(1), Optional.empty())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            admin.createTopics(List.of(created)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("the progress topic " + topic + " cannot be created (" + e.getCause().getMessage()
                        + "); create it compacted, or let the gateway's Kafka user create topics", e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the progress topic " + topic, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not create the progress topic " + topic + " within " + timeout.toMillis() + " ms");
        }
    }

    /** The record to send in the transaction that writes {@code ids}, on the partition the producer's metadata says is the writer's. */
    ProducerRecord<String, String> record(KafkaProducer<String, String> producer, List<String> ids) {
        return new ProducerRecord<>(topic, partition(producer.partitionsFor(topic).size()), writer, String.join("\n", ids));
    }

    /** The ids of the events the writer's last committed transaction held; none if it never wrote one. */
    Set<String> lastWritten(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Properties properties = new Properties();
        properties.putAll(connection);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
            if (partitions == null || partitions.isEmpty()) {
                return Set.of();
            }
            TopicPartition partition = new TopicPartition(topic, partition(partitions.size()));
            consumer.assign(List.of(partition));
            long begin = consumer.beginningOffsets(List.of(partition), timeout).get(partition);
            long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
            for (long window = FIRST_WINDOW; end > begin; window *= 4) {
                long from = Math.max(begin, end - window);
                String last = lastValue(consumer, partition, from, end, deadline);
                if (last != null) {
                    return last.isEmpty() ? Set.of() : Set.of(last.split("\n"));
                }
                end = from;
            }
            return Set.of();
        }
    }

    /** The last value under the writer's key in {@code [from, end)}, or null. */
    private String lastValue(KafkaConsumer<String, String> consumer, TopicPartition partition, long from, long end, long deadline) {
        consumer.seek(partition, from);
        String last = null;
        while (consumer.position(partition) < end) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("the progress topic " + topic + " was not read within the timeout");
            }
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200))))) {
                if (record.offset() < end && writer.equals(record.key())) {
                    last = record.value();
                }
            }
        }
        return last;
    }

    private int partition(int partitions) {
        return Utils.toPositive(Utils.murmur2(writer.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
