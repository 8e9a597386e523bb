package io.mcpgw.plugins.audit.kafka;

import io.mcpgw.spi.audit.AuditEvent;
import io.mcpgw.spi.audit.AuditSink;
import io.mcpgw.spi.audit.JournaledEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes each batch as one Kafka transaction, with the {@link WriterProgress} record of its events. After any failure
 * the producer is dropped: the next one, with the same transactional id, fences it, and Kafka ends whatever it left
 * open (aborted, or committed if the commit had been taken when the answer was lost). Before writing again, and
 * before the first write after a start, the sink reads which events that last transaction held, and leaves out of
 * what the journal gives again those Kafka already has. Calls come from the journal's one writer thread per sink.
 */
final class KafkaAuditSink implements AuditSink {

    static final String EVENT_ID_HEADER = "mcpgw-event-id";
    static final String EVENT_TYPE_HEADER = "mcpgw-event-type";

    private final Properties properties;
    private final String topic;
    private final Duration timeout;
    private final WriterProgress progress;
    private final System.Logger logger;
    private KafkaProducer<String, String> producer;
    private boolean ready;
    private boolean progressTopicMade;
    /** Whether how the last transaction ended is unknown: at the start and after a failure. */
    private boolean unsure = true;
    /** The events the last transaction held, until the journal gives one that it did not hold. */
    private Set<String> alreadyWritten = Set.of();

    KafkaAuditSink(Properties properties, String topic, WriterProgress progress, Duration timeout, System.Logger logger) {
        this.properties = properties;
        this.topic = topic;
        this.progress = progress;
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
                if (unsure) {
                    learnWhatTheLastTransactionHeld();
                }
                List<JournaledEvent> unwritten = unwritten(batch);
                if (unwritten.isEmpty()) {
                    return null;
                }
                current.beginTransaction();
                List<String> ids = new ArrayList<>(unwritten.size());
                for (JournaledEvent journaled : unwritten) {
                    AuditEvent event = journaled.event();
                    ProducerRecord<String, String> record = new ProducerRecord<>(topic, null, event.time().toEpochMilli(), key(event),
                            journaled.json());
                    record.headers().add(EVENT_ID_HEADER, event.id().getBytes(StandardCharsets.UTF_8));
                    record.headers().add(EVENT_TYPE_HEADER, event.type().wireName().getBytes(StandardCharsets.UTF_8));
                    current.send(record);
                    ids.add(event.id());
                }
                current.send(progress.record(current, ids));
                current.commitTransaction();
                return null;
            });
        } catch (RuntimeException e) {
            logger.log(System.Logger.Level.WARNING, "Kafka did not take a batch of {0} audit events ({1}); it will be sent again",
                    batch.size(), e.getMessage());
            unsure = true;
            alreadyWritten = Set.of();
            discard();
            throw e;
        }
    }

    /** Once the producer's start ended any transaction left open: which events the last committed one held. */
    private void learnWhatTheLastTransactionHeld() {
        if (!progressTopicMade) {
            progress.create(timeout);
            progressTopicMade = true;
        }
        alreadyWritten = progress.lastWritten(timeout);
        unsure = false;
    }

    /**
     * The batch less its first events that the last transaction held: what the journal gives again starts where its
     * offset stands, so what Kafka already has of it is a prefix, and the first event it lacks ends the check.
     */
    private List<JournaledEvent> unwritten(List<JournaledEvent> batch) {
        if (alreadyWritten.isEmpty()) {
            return batch;
        }
        int written = 0;
        while (written < batch.size() && alreadyWritten.contains(batch.get(written).event().id())) {
            written++;
        }
        if (written > 0) {
            logger.log(System.Logger.Level.INFO, "Kafka already had {0} of the audit events given again (committed before the"
                    + " gateway learnt or noted it); they are not written twice", written);
        }
        if (written < batch.size()) {
            alreadyWritten = Set.of();
        }
        return batch.subList(written, batch.size());
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
