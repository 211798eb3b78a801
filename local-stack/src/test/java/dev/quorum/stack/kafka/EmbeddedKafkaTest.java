package dev.quorum.stack.kafka;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EmbeddedKafkaTest {

    @Test
    void only_a_broker_in_a_child_jvm_can_be_killed() {
        try (var broker = EmbeddedKafka.builder().separateJvm(false).build()) {
            assertThatThrownBy(broker::kill).isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("separateJvm");
        }
    }

    @Test
    void close_is_idempotent_and_final() {
        var broker = EmbeddedKafka.builder().build();
        broker.close();

        assertThatCode(broker::close).doesNotThrowAnyException();
        assertThatThrownBy(broker::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void a_broker_that_never_started_has_no_address_yet() {
        try (var broker = EmbeddedKafka.builder().build()) {
            assertThatThrownBy(broker::bootstrapServers).isInstanceOf(IllegalStateException.class).hasMessageContaining("not been started");
        }
    }
}
