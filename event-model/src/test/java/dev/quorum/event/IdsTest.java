package dev.quorum.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class IdsTest {

  @Test
  void new_event_ids_are_random_version_4() {
    UUID a = Ids.newEventId();
    UUID b = Ids.newEventId();

    assertThat(a.version()).isEqualTo(4);
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void derived_ids_are_version_5_and_stable() {
    UUID id = Ids.derived("am", "{}:{alertname=\"HighLatency\"}", "fp-1", "2026-06-15T02:14:07Z", "firing");

    assertThat(id.version()).isEqualTo(5);
    assertThat(id.variant()).isEqualTo(2);
    assertThat(Ids.derived("am", "{}:{alertname=\"HighLatency\"}", "fp-1", "2026-06-15T02:14:07Z", "firing")).isEqualTo(id);
  }

  @Test
  void length_prefixes_keep_a_separator_inside_a_value_from_colliding() {
    assertThat(Ids.derived("am", "a|b", "c")).isNotEqualTo(Ids.derived("am", "a", "b|c"));
    assertThat(Ids.derived("am", "ab", "")).isNotEqualTo(Ids.derived("am", "a", "b"));
    assertThat(Ids.derived("am", "x")).isNotEqualTo(Ids.derived("pd", "x"));
  }
}
