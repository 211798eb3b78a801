package dev.quorum.projection.kafka;

import static dev.quorum.event.testing.Catalogue.triggered;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.event.fold.Fold;
import dev.quorum.event.fold.IncidentState;
import dev.quorum.event.testing.History;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LastValueSerializerTest {
  private final AtomicInteger written = new AtomicInteger();
  private final Serializer<String> counting = (topic, value) -> {
    written.incrementAndGet();
    return value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  };

  @Test
  void the_same_instance_asked_again_is_written_once() {
    LastValueSerializer<String> serializer = new LastValueSerializer<>(counting);
    String value = new String("state");

    byte[] first = serializer.serialize("t", value);
    byte[] second = serializer.serialize("t", value);

    assertThat(second).isSameAs(first);
    assertThat(written).hasValue(1);
  }

  @Test
  void another_instance_is_written_even_when_equal() {
    LastValueSerializer<String> serializer = new LastValueSerializer<>(counting);

    serializer.serialize("t", new String("state"));
    byte[] again = serializer.serialize("t", new String("state"));

    assertThat(new String(again, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("state");
    assertThat(written).hasValue(2);
    assertThat(serializer.serialize("t", null)).isNull();
  }

  @Test
  void the_store_serde_and_the_size_check_share_one_memory() {
    History history = History.random();
    IncidentState state = Fold.apply(IncidentState.empty(history.incidentId()), history.add(triggered())).state();

    byte[] checked = ViewSerdes.state().serializer().serialize("t", state);

    assertThat(ViewSerdes.state()).isSameAs(ViewSerdes.state());
    assertThat(ViewSerdes.state().serializer().serialize("changelog", state)).isSameAs(checked);
  }
}
