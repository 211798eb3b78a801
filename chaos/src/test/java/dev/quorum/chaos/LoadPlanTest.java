package dev.quorum.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quorum.chaos.LoadPlan.Item;
import dev.quorum.chaos.LoadPlan.Poison;
import dev.quorum.chaos.LoadPlan.Valid;
import dev.quorum.event.EventData;
import dev.quorum.event.codec.EventCodec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LoadPlanTest {
  private final ChaosSettings settings = ChaosSettings.small(7L);

  @Test
  void the_same_seed_draws_the_same_plan_and_another_seed_another() {
    assertThat(encoded(LoadPlan.draw(settings))).isEqualTo(encoded(LoadPlan.draw(ChaosSettings.small(7L))));
    assertThat(encoded(LoadPlan.draw(ChaosSettings.small(8L)))).isNotEqualTo(encoded(LoadPlan.draw(settings)));
  }

  @Test
  void it_holds_the_events_the_incidents_the_redeliveries_and_the_poison_the_issue_asks_for() {
    LoadPlan plan = LoadPlan.draw(settings);
    Set<UUID> ids = new HashSet<>();
    Set<UUID> incidents = new HashSet<>();
    int redeliveries = 0;
    int poison = 0;
    for (Item item : items(plan)) {
      switch (item) {
        case Valid v when v.redelivery() -> {
          assertThat(ids).as("a redelivery re-sends an event sent before").contains(v.event().id());
          redeliveries++;
        }
        case Valid v -> {
          assertThat(ids.add(v.event().id())).as("new event ids are distinct").isTrue();
          incidents.add(v.event().incidentId());
        }
        case Poison p -> poison++;
      }
    }
    assertThat(ids).hasSize(settings.events());
    assertThat(incidents).hasSize(settings.incidents());
    assertThat(redeliveries).isEqualTo(plan.redeliveries).isGreaterThanOrEqualTo(settings.events() / 20);
    assertThat(poison).isEqualTo(plan.poison).isGreaterThanOrEqualTo(settings.events() / 100);
  }

  @Test
  void every_incident_is_triggered_before_anything_else_happens_to_it() {
    Set<UUID> triggered = new HashSet<>();
    for (Item item : items(LoadPlan.draw(settings))) {
      if (item instanceof Valid v && !v.redelivery() && !triggered.contains(v.event().incidentId())) {
        assertThat(v.event().data()).isInstanceOfAny(EventData.IncidentTriggered.class, EventData.AlertFired.class);
        triggered.add(v.event().incidentId());
      }
    }
  }

  @Test
  void poison_records_are_refused_by_the_codec_and_name_themselves() {
    for (Item item : items(LoadPlan.draw(settings))) {
      if (item instanceof Poison p) {
        assertThatThrownBy(() -> EventCodec.decode(p.value())).as(p.expectedReason()).isInstanceOf(RuntimeException.class);
        assertThat(new String(p.value(), java.nio.charset.StandardCharsets.UTF_8)).contains(LoadPlan.POISON_MARK + p.id());
      }
    }
  }

  @Test
  void valid_events_survive_the_codec_unchanged() {
    for (Item item : items(LoadPlan.draw(settings))) {
      if (item instanceof Valid v) assertThat(EventCodec.decode(EventCodec.encode(v.event()))).isEqualTo(v.event());
    }
  }

  private static List<Item> items(LoadPlan plan) {
    List<Item> items = new ArrayList<>();
    for (LoadPlan.Round round : plan.rounds) {
      items.addAll(round.gateway());
      items.addAll(round.direct());
    }
    return items;
  }

  private static List<String> encoded(LoadPlan plan) {
    return items(plan).stream().map(i -> switch (i) {
      case Valid v -> EventCodec.encodeToString(v.event());
      case Poison p -> new String(p.value(), java.nio.charset.StandardCharsets.UTF_8);
    }).toList();
  }
}
