package dev.quorum.stack.kafka;

import dev.quorum.stack.KafkaBroker;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.Properties;

/**
 * Client settings for tests: timeouts in seconds instead of minutes, so that a test against a
 * stopped or killed broker fails or recovers quickly. Keys and values are strings by default;
 * each call returns a new {@link Properties} the caller may change.
 */
public final class KafkaTestClients {

    /** How long a producer blocks in {@code send()} when the broker is gone (default 60 s). */
    public static final int MAX_BLOCK_MS = 10_000;
    /** How long a request waits for its answer (default 30 s). */
    public static final int REQUEST_TIMEOUT_MS = 5_000;
    /** How long a record may take to be acknowledged, retries included (default 120 s). */
    public static final int DELIVERY_TIMEOUT_MS = 20_000;
    /** How long an open transaction lives before the coordinator aborts it (default 60 s). */
    public static final int TRANSACTION_TIMEOUT_MS = 10_000;
    /** How long a silent group member keeps its partitions (default 45 s). */
    public static final int SESSION_TIMEOUT_MS = 6_000;
    public static final int HEARTBEAT_INTERVAL_MS = 1_000;
    /** How long a member may go without polling (default 300 s). */
    public static final int MAX_POLL_INTERVAL_MS = 30_000;
    /** The budget of a consumer's or admin's blocking call without its own timeout (default 60 s). */
    public static final int DEFAULT_API_TIMEOUT_MS = 15_000;

    private KafkaTestClients() {
    }

    /** An idempotent producer, {@code acks=all}, string keys and values. */
    public static Properties producer(String bootstrapServers) {
        Properties p = common(bootstrapServers);
        p.setProperty(ProducerConfig.ACKS_CONFIG, "all");
        p.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.setProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG, Integer.toString(MAX_BLOCK_MS));
        p.setProperty(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(DELIVERY_TIMEOUT_MS));
        p.setProperty(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return p;
    }

    public static Properties producer(KafkaBroker broker) {
        return producer(broker.bootstrapServers());
    }

    /** A transactional producer with a short {@code transaction.timeout.ms}. */
    public static Properties transactionalProducer(String bootstrapServers, String transactionalId) {
        Properties p = producer(bootstrapServers);
        p.setProperty(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        p.setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Integer.toString(TRANSACTION_TIMEOUT_MS));
        return p;
    }

    public static Properties transactionalProducer(KafkaBroker broker, String transactionalId) {
        return transactionalProducer(broker.bootstrapServers(), transactionalId);
    }

    /** A consumer in the given group: reads committed records from the earliest offset, commits by hand. */
    public static Properties consumer(String bootstrapServers, String groupId) {
        Properties p = common(bootstrapServers);
        p.setProperty(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.setProperty(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Integer.toString(SESSION_TIMEOUT_MS));
        p.setProperty(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Integer.toString(HEARTBEAT_INTERVAL_MS));
        p.setProperty(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, Integer.toString(MAX_POLL_INTERVAL_MS));
        p.setProperty(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(DEFAULT_API_TIMEOUT_MS));
        p.setProperty(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.setProperty(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return p;
    }

    public static Properties consumer(KafkaBroker broker, String groupId) {
        return consumer(broker.bootstrapServers(), groupId);
    }

    public static Properties admin(String bootstrapServers) {
        Properties p = common(bootstrapServers);
        p.setProperty(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(DEFAULT_API_TIMEOUT_MS));
        return p;
    }

    public static Properties admin(KafkaBroker broker) {
        return admin(broker.bootstrapServers());
    }

    private static Properties common(String bootstrapServers) {
        Properties p = new Properties();
        p.setProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.setProperty(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(REQUEST_TIMEOUT_MS));
        p.setProperty(CommonClientConfigs.RETRY_BACKOFF_MS_CONFIG, "100");
        p.setProperty(CommonClientConfigs.RETRY_BACKOFF_MAX_MS_CONFIG, "1000");
        p.setProperty(CommonClientConfigs.RECONNECT_BACKOFF_MS_CONFIG, "50");
        p.setProperty(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        p.setProperty(CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, "2000");
        p.setProperty(CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, "5000");
        p.setProperty(CommonClientConfigs.METADATA_MAX_AGE_CONFIG, "5000");
        return p;
    }
}
