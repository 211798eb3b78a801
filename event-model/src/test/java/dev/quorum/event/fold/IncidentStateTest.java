package dev.quorum.event.fold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class IncidentStateTest {
  private final UUID incident = UUID.randomUUID();

  private IncidentState with(Map<String, Integer> followups) {
    return new IncidentState(incident, List.of(), null, 0, 0, 0, followups, null);
  }

  @Test
  void the_follow_up_index_handed_on_to_the_next_state_is_not_copied_again() {
    IncidentState before = with(Map.of("fu-2", 1, "fu-1", 1));

    IncidentState after = with(before.openFollowups());

    assertThat(after.openFollowups()).isSameAs(before.openFollowups());
  }

  @Test
  void a_map_from_elsewhere_is_copied_sorted_and_cannot_be_changed_through_the_state() {
    Map<String, Integer> mutable = new HashMap<>(Map.of("fu-b", 2, "fu-a", 1));

    IncidentState state = with(mutable);
    mutable.put("fu-c", 3);

    assertThat(state.openFollowups()).isEqualTo(new TreeMap<>(Map.of("fu-a", 1, "fu-b", 2)));
    assertThat(state.openFollowups().keySet()).containsExactly("fu-a", "fu-b");
    assertThat(state.openFollowups().get("fu-b")).isEqualTo(2);
    assertThatThrownBy(() -> state.openFollowups().put("fu-d", 4)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> state.openFollowups().entrySet().iterator().next().setValue(9))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void no_index_is_an_empty_one() {
    assertThat(with(null).openFollowups()).isEmpty();
    assertThat(with(null)).isEqualTo(with(Map.of()));
  }
}
