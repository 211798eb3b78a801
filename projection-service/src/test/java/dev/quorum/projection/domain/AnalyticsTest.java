package dev.quorum.projection.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.projection.domain.Analytics.Dimension;
import dev.quorum.projection.domain.Analytics.Row;
import java.time.LocalDate;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AnalyticsTest {
  private static final LocalDate MONDAY = LocalDate.of(2026, 6, 15);
  private static final LocalDate TUESDAY = MONDAY.plusDays(1);

  private final List<Map.Entry<BucketKey, Bucket>> buckets = List.of(
      entry(MONDAY, "checkout", "critical", sample(60, 600)),
      entry(MONDAY, "checkout", "warning", sample(120, null)),
      entry(TUESDAY, "checkout", "critical", sample(180, 1_800)),
      entry(TUESDAY, "search", "critical", sample(30, 300)),
      entry(TUESDAY, "search", "info", Bucket.EMPTY));

  @Test
  void a_roll_up_by_service_sums_days_and_severities_into_means() {
    List<Row> rows = Analytics.rollUp(buckets, new Analytics.Selection(null, null, null, null), EnumSet.of(Dimension.SERVICE));

    assertThat(rows).extracting(Row::service).containsExactly("checkout", "search");
    Bucket checkout = rows.getFirst().bucket();
    assertThat(checkout.episodes()).isEqualTo(3);
    assertThat(checkout.meanSecondsToAcknowledge()).isEqualTo(120.0);
    assertThat(checkout.resolved()).isEqualTo(2);
    assertThat(checkout.meanSecondsToResolve()).isEqualTo(1_200.0);
    assertThat(rows.getFirst().day()).isNull();
  }

  @Test
  void a_selection_keeps_a_day_range_and_a_severity_and_skips_empty_buckets() {
    List<Row> rows = Analytics.rollUp(buckets, new Analytics.Selection(TUESDAY, TUESDAY, null, "critical"),
        EnumSet.allOf(Dimension.class));

    assertThat(rows).extracting(Row::service).containsExactly("checkout", "search");
    assertThat(rows).allSatisfy(row -> assertThat(row.day()).isEqualTo(TUESDAY));
  }

  @Test
  void a_bucket_key_keeps_a_separator_inside_the_service_name() {
    BucketKey key = new BucketKey(MONDAY, "pay|ments", "critical");
    assertThat(BucketKey.decode(key.encode())).isEqualTo(key);
  }

  private static Bucket sample(long secondsToAck, Integer secondsToResolve) {
    return Bucket.EMPTY.plus(new EpisodeSample(MONDAY, "x", "y", secondsToAck * 1_000_000,
        secondsToResolve == null ? null : secondsToResolve * 1_000_000L, 0, 0));
  }

  private static Map.Entry<BucketKey, Bucket> entry(LocalDate day, String service, String severity, Bucket bucket) {
    return new SimpleImmutableEntry<>(new BucketKey(day, service, severity), bucket);
  }
}
