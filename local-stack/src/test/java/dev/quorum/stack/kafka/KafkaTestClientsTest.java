package dev.quorum.stack.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaTestClientsTest {

    private static final String BOOTSTRAP = "127.0.0.1:1";

    @Test
    void producer_timeouts_are_seconds_and_consistent_with_each_other() {
        Properties p = KafkaTestClients.producer(BOOTSTRAP);

        int delivery = intOf(p, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG);
        assertThat(intOf(p, ProducerConfig.MAX_BLOCK_MS_CONFIG)).isLessThanOrEqualTo(10_000);
        assertThat(delivery).isLessThan(120_000)
                .isGreaterThanOrEqualTo(intOf(p, ProducerConfig.LINGER_MS_CONFIG) + intOf(p, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG));
        assertThat(p.getProperty(ProducerConfig.ACKS_CONFIG)).isEqualTo("all");
        // a key the producer does not know would only be logged as unknown
        assertThat(ProducerConfig.configNames()).containsAll(p.stringPropertyNames());
    }

    @Test
    void a_transactional_producer_has_a_short_transaction_timeout() {
        Properties p = KafkaTestClients.transactionalProducer(BOOTSTRAP, "tx-1");

        assertThat(p.getProperty(ProducerConfig.TRANSACTIONAL_ID_CONFIG)).isEqualTo("tx-1");
        assertThat(intOf(p, ProducerConfig.TRANSACTION_TIMEOUT_CONFIG)).isLessThan(60_000);
    }

    @Test
    void a_consumer_reads_committed_records_commits_by_hand_and_is_declared_dead_in_seconds() {
        Properties p = KafkaTestClients.consumer(BOOTSTRAP, "g");

        assertThat(p.getProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG)).isEqualTo("read_committed");
        assertThat(p.getProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG)).isEqualTo("false");
        assertThat(intOf(p, ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG)).isLessThan(45_000)
                .isGreaterThan(3 * intOf(p, ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG) - 1);
        assertThat(ConsumerConfig.configNames()).containsAll(p.stringPropertyNames());
    }

    @Test
    void admin_settings_are_all_admin_settings() {
        assertThat(org.apache.kafka.clients.admin.AdminClientConfig.configNames())
                .containsAll(KafkaTestClients.admin(BOOTSTRAP).stringPropertyNames());
    }

    @Test
    void each_call_returns_properties_the_caller_may_change() {
        Properties first = KafkaTestClients.admin(BOOTSTRAP);
        first.setProperty("client.id", "changed");

        assertThat(KafkaTestClients.admin(BOOTSTRAP)).doesNotContainKey("client.id");
    }

    private static int intOf(Properties p, String key) {
        return Integer.parseInt(p.getProperty(key));
    }
}
