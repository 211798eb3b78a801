package dev.quorum.stack.kafka;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BrokerSettingsTest {

    @Test
    void every_listener_is_on_127_0_0_1_with_the_given_ports() {
        Properties p = BrokerSettings.serverProperties(40001, 40002, Path.of("/tmp/logs"), Map.of());

        assertThat(p.getProperty("listeners")).isEqualTo("PLAINTEXT://127.0.0.1:40001,CONTROLLER://127.0.0.1:40002");
        assertThat(p.getProperty("advertised.listeners")).contains("127.0.0.1:40001").doesNotContain("0.0.0.0", "localhost");
        assertThat(p.getProperty("controller.quorum.bootstrap.servers")).isEqualTo("127.0.0.1:40002");
        assertThat(p).doesNotContainKey("controller.quorum.voters"); // format --standalone refuses it
    }

    @Test
    void the_slow_defaults_of_a_broker_are_lowered() {
        Map<String, String> s = BrokerSettings.fastSingleNode();

        assertThat(s).containsEntry("group.initial.rebalance.delay.ms", "0")
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("transaction.state.log.min.isr", "1")
                .containsEntry("share.coordinator.state.topic.replication.factor", "1");
        assertThat(Integer.parseInt(s.get("offsets.topic.num.partitions"))).isLessThan(50);
        assertThat(Integer.parseInt(s.get("transaction.state.log.num.partitions"))).isLessThan(50);
        assertThat(Integer.parseInt(s.get("group.min.session.timeout.ms"))).isLessThanOrEqualTo(KafkaTestClients.SESSION_TIMEOUT_MS);
    }

    @Test
    void overrides_win_over_the_defaults() {
        Properties p = BrokerSettings.serverProperties(1, 2, Path.of("/tmp/logs"), Map.of("offsets.topic.num.partitions", "3"));

        assertThat(p.getProperty("offsets.topic.num.partitions")).isEqualTo("3");
    }

    @Test
    void container_variables_follow_the_apache_kafka_image_convention() {
        assertThat(BrokerSettings.asContainerEnvironment(Map.of("group.initial.rebalance.delay.ms", "0")))
                .containsExactly(Map.entry("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0"));
        assertThat(BrokerSettings.asContainerEnvironment(BrokerSettings.fastSingleNode())).hasSameSizeAs(BrokerSettings.fastSingleNode());
        assertThatThrownBy(() -> BrokerSettings.asContainerEnvironment(Map.of("some_key", "x")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
