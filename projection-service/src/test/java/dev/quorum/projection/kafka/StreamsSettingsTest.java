package dev.quorum.projection.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StreamsSettingsTest {

  @Test
  void a_task_never_idles_waiting_to_learn_whether_its_other_input_has_data() {
    Properties properties = StreamsSettings.properties("127.0.0.1:9092", "quorum-projection", Path.of("/tmp/x"), 1,
        100, 0, (short) 1, new HostInfo("127.0.0.1", 8083), Map.of());

    assertThat(properties.get(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG)).isEqualTo(-1L);
    assertThat(properties.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
  }

  @Test
  void the_producer_sends_batches_of_256_kib_unless_overridden() {
    Properties defaults = StreamsSettings.properties("127.0.0.1:9092", "quorum-projection", Path.of("/tmp/x"), 1,
        100, 0, (short) 1, new HostInfo("127.0.0.1", 8083), Map.of());
    Properties overridden = StreamsSettings.properties("127.0.0.1:9092", "quorum-projection", Path.of("/tmp/x"), 1,
        100, 0, (short) 1, new HostInfo("127.0.0.1", 8083), Map.of("producer.batch.size", "16384"));

    assertThat(new StreamsConfig(defaults).getProducerConfigs("client").get("batch.size")).isEqualTo(256 * 1024);
    assertThat(new StreamsConfig(overridden).getProducerConfigs("client").get("batch.size")).isEqualTo("16384");
  }

  @Test
  void an_override_still_wins() {
    Properties properties = StreamsSettings.properties("127.0.0.1:9092", "quorum-projection", Path.of("/tmp/x"), 1,
        100, 0, (short) 1, new HostInfo("127.0.0.1", 8083), Map.of(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "0"));

    assertThat(properties.get(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG)).isEqualTo("0");
  }
}
