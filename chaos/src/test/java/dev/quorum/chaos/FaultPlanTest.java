package dev.quorum.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.chaos.FaultPlan.Fault;
import dev.quorum.chaos.FaultPlan.Kind;
import java.time.Duration;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FaultPlanTest {

  @Test
  void every_fault_kind_falls_while_the_load_publishes_and_the_same_seed_replays_it() {
    ChaosSettings full = ChaosSettings.full(11L);
    FaultPlan plan = new FaultPlan(full, 3);

    assertThat(plan.faults).extracting(Fault::kind).filteredOn(Kind.WRITER_KILL::equals).hasSize(full.writerKills());
    assertThat(plan.faults).extracting(Fault::kind)
        .containsOnlyOnce(Kind.GATEWAY_KILL, Kind.PROJECTION_KILL, Kind.BROKER_RESTART, Kind.POSTGRES_RESTART);
    assertThat(plan.faults).allSatisfy(f -> assertThat(f.at()).isBetween(0.05, 0.85));
    assertThat(plan.faults).extracting(Fault::at).isSorted();
    assertThat(plan.faults).filteredOn(f -> f.kind() == Kind.BROKER_RESTART || f.kind() == Kind.POSTGRES_RESTART)
        .allSatisfy(f -> assertThat(f.pause()).isGreaterThanOrEqualTo(Duration.ofSeconds(10)));
    assertThat(plan.faults).filteredOn(f -> f.kind() == Kind.WRITER_KILL).extracting(Fault::writer)
        .contains(0, 1, 2).allSatisfy(w -> assertThat(w).isBetween(0, 2));
    assertThat(new FaultPlan(full, 3).faults).isEqualTo(plan.faults);
  }

  @Test
  void conflict_draws_at_a_rate_fail_about_that_share_of_transactions() {
    long hits = ConflictDraws.hits(42L, "data", 20_000, 0.15);
    assertThat(hits).isBetween(2_700L, 3_300L);
    assertThat(ConflictDraws.hits(42L, "data", 20_000, 0.0)).isZero();
  }
}
