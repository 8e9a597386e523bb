package io.mcpgw.plugins.audit.kafka;

import io.mcpgw.spi.ExtensionContext;
import io.mcpgw.spi.audit.AuditSink;
import io.mcpgw.spi.audit.AuditSinkFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.pf4j.Extension;

/**
 * {@code audit: [{type: kafka}]}: each event as JSON on a topic, keyed by tenant and session so that one session's
 * events stay in order. Each batch is one Kafka transaction: it is reported written only once Kafka committed it,
 * and a batch the journal sends again after a failure replaces the aborted attempt, so a consumer reading committed
 * records ({@code isolation.level=read_committed}) sees every event once.
 */
@Extension
public final class KafkaAuditSinkFactory implements AuditSinkFactory {

    /** Producer settings the sink's promise rests on: set by the sink, refused in {@code producer:}. */
    private static final Set<String> FIXED = Set.of(ProducerConfig.ACKS_CONFIG, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG, ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);

    /**
     * The keys of the section.
     *
     * @param bootstrapServers {@code host:port,...}; required
     * @param topic default {@code mcpgw-audit}
     * @param progressTopic the compacted topic where each gateway's last transaction names its events (see
     *     {@link WriterProgress}); default {@code <topic>-progress}, created on the first write unless it exists
     * @param transactionalId unique per gateway writing to the cluster; default {@code mcpgw-audit-<host>-<topic>}
     * @param timeout how long one batch may take before it counts as failed (and is retried); default 30s
     * @param compression {@code gzip} (default), {@code lz4}, {@code zstd}, {@code snappy} or {@code none}
     * @param linger how long a batch may wait to fill; default 5ms
     * @param producer any other Kafka producer setting, passed through as written (TLS, SASL, buffer sizes, ...)
     */
    record Settings(String bootstrapServers, String topic, String progressTopic, String transactionalId, Duration timeout, String compression,
            Duration linger, Map<String, String> producer) {
        Settings {
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                throw new IllegalArgumentException("bootstrapServers: required value is missing (host:port of the Kafka brokers)");
            }
            topic = topic == null ? "mcpgw-audit" : topic;
            progressTopic = progressTopic == null ? topic + "-progress" : progressTopic;
            transactionalId = transactionalId == null ? "mcpgw-audit-" + hostName() + "-" + topic : transactionalId;
            timeout = timeout == null ? Duration.ofSeconds(30) : timeout;
            compression = compression == null ? "gzip" : compression;
            linger = linger == null ? Duration.ofMillis(5) : linger;
            producer = producer == null ? Map.of() : Map.copyOf(producer);
            for (String key : producer.keySet()) {
                if (FIXED.contains(key)) {
                    throw new IllegalArgumentException("producer." + key + ": set by the sink (acks=all, idempotence and one transaction"
                            + " per batch are what keep events from being lost or doubled)"
                            + (key.equals(ProducerConfig.TRANSACTIONAL_ID_CONFIG) ? "; use transactionalId" : ""));
                }
            }
        }

        Properties properties() {
            Properties properties = new Properties();
            properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            properties.put(ProducerConfig.ACKS_CONFIG, "all");
            properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
            properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
            properties.put(ProducerConfig.LINGER_MS_CONFIG, Long.toString(linger.toMillis()));
            long millis = timeout.toMillis();
            properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(millis));
            properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.max(1000, millis / 2)));
            properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(Math.max(1000, millis / 2) + linger.toMillis()));
            properties.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(Math.max(millis, 60_000)));
            properties.putAll(producer);
            return properties;
        }

        private static String hostName() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return "localhost";
            }
        }
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public AuditSink create(ExtensionContext context) {
        Settings settings = context.config().bind(Settings.class);
        if (context.validateOnly()) {
            // Every producer setting's type and value, checked as the producer would, without reaching a broker.
            Properties checked = settings.properties();
            checked.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            checked.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            KafkaAuditSink.withPluginClassLoader(() -> ProducerConfig.configDef().parse(checked));
            return batch -> {
                throw new IllegalStateException("a Kafka sink created by mcpgw validate writes nothing");
            };
        }
        Properties properties = settings.properties();
        return new KafkaAuditSink(properties, settings.topic(), new WriterProgress(properties, settings.progressTopic(),
                settings.transactionalId()), settings.timeout(), context.logger());
    }
}
