package io.mcpgw.plugins.audit.kafka;

import io.mcpgw.spi.audit.AuditEvent;
import io.mcpgw.spi.audit.AuditSink;
import io.mcpgw.spi.audit.JournaledEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes each batch as one Kafka transaction. After any failure the producer is dropped: the next one, with the same
 * transactional id, fences it and aborts whatever it left open before the journal's retry writes the batch again.
 * Calls come from the journal's one writer thread per sink.
 */
final class KafkaAuditSink implements AuditSink {

    static final String EVENT_ID_HEADER = "mcpgw-event-id";
    static final String EVENT_TYPE_HEADER = "mcpgw-event-type";

    private final Properties properties;
    private final String topic;
    private final Duration timeout;
    private final System.Logger logger;
    private KafkaProducer<String, String> producer;
    private boolean ready;

    KafkaAuditSink(Properties properties, String topic, Duration timeout, System.Logger logger) {
        this.properties = properties;
        this.topic = topic;
        this.timeout = timeout;
        this.logger = logger;
        this.producer = open();
    }

    @Override
    public void write(List<AuditEvent> batch) {
        writeJournaled(batch.stream().map(JournaledEvent::of).toList());
    }

    /** Sends each event's line as the journal wrote it. */
    @Override
    public void writeJournaled(List<JournaledEvent> batch) {
        KafkaProducer<String, String> current = producer != null ? producer : (producer = open());
        try {
            withPluginClassLoader(() -> {
                if (!ready) {
                    current.initTransactions();
                    ready = true;
                }
                current.beginTransaction();
                for (JournaledEvent journaled : batch) {
                    AuditEvent event = journaled.event();
                    ProducerRecord<String, String> record = new ProducerRecord<>(topic, null, event.time().toEpochMilli(), key(event),
                            journaled.json());
                    record.headers().add(EVENT_ID_HEADER, event.id().getBytes(StandardCharsets.UTF_8));
                    record.headers().add(EVENT_TYPE_HEADER, event.type().wireName().getBytes(StandardCharsets.UTF_8));
                    current.send(record);
                }
                current.commitTransaction();
                return null;
            });
        } catch (RuntimeException e) {
            logger.log(System.Logger.Level.WARNING, "Kafka did not take a batch of {0} audit events ({1}); it will be sent again",
                    batch.size(), e.getMessage());
            discard();
            throw e;
        }
    }

    /** One session's events share a key, so they land on one partition, in order. */
    private static String key(AuditEvent event) {
        return event.tenant().orElse("-") + "/" + event.session().orElse("-");
    }

    private KafkaProducer<String, String> open() {
        ready = false;
        return withPluginClassLoader(() -> new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer()));
    }

    private void discard() {
        KafkaProducer<String, String> dropped = producer;
        producer = null;
        if (dropped != null) {
            withPluginClassLoader(() -> {
                dropped.close(Duration.ZERO);
                return null;
            });
        }
    }

    /**
     * Kafka loads configured classes (SASL login modules, interceptors) through the thread's context class loader,
     * which on the gateway's threads cannot see this plugin's libraries.
     */
    static <T> T withPluginClassLoader(Supplier<T> work) {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(KafkaAuditSink.class.getClassLoader());
        try {
            return work.get();
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    @Override
    public void close() {
        KafkaProducer<String, String> open = producer;
        producer = null;
        if (open != null) {
            withPluginClassLoader(() -> {
                open.close(timeout);
                return null;
            });
        }
    }
}
