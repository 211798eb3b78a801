package dev.quorum.projection.domain;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Selects and rolls up analytics buckets: by day range, service and severity, grouped by any dimensions. */
public final class Analytics {
  private Analytics() {}

  /** A dimension of a roll-up. */
  public enum Dimension { DAY, SERVICE, SEVERITY }

  /** Which buckets to read: an inclusive day range and optional service and severity. */
  public record Selection(LocalDate from, LocalDate to, String service, String severity) {
    public boolean matches(BucketKey key) {
      return (from == null || !key.day().isBefore(from))
          && (to == null || !key.day().isAfter(to))
          && (service == null || service.equals(key.service()))
          && (severity == null || severity.equals(key.severity()));
    }
  }

  /** One row of a roll-up: the dimensions not grouped by are null. */
  public record Row(LocalDate day, String service, String severity, Bucket bucket) {}

  /** Sums the selected, non-empty buckets grouped by {@code by}; rows sorted by day, service, severity. */
  public static List<Row> rollUp(Collection<Map.Entry<BucketKey, Bucket>> buckets, Selection selection, Set<Dimension> by) {
    Set<Dimension> dims = by.isEmpty() ? EnumSet.noneOf(Dimension.class) : EnumSet.copyOf(by);
    Comparator<Row> order = Comparator
        .comparing(Row::day, Comparator.nullsFirst(Comparator.naturalOrder()))
        .thenComparing(Row::service, Comparator.nullsFirst(Comparator.naturalOrder()))
        .thenComparing(Row::severity, Comparator.nullsFirst(Comparator.naturalOrder()));
    TreeMap<Row, Bucket> sums = new TreeMap<>(order);
    for (Map.Entry<BucketKey, Bucket> entry : buckets) {
      BucketKey key = entry.getKey();
      if (!entry.getValue().hasEpisodes() || !selection.matches(key)) continue;
      Row group = new Row(
          dims.contains(Dimension.DAY) ? key.day() : null,
          dims.contains(Dimension.SERVICE) ? key.service() : null,
          dims.contains(Dimension.SEVERITY) ? key.severity() : null,
          null);
      sums.merge(group, entry.getValue(), Bucket::plus);
    }
    List<Row> rows = new ArrayList<>(sums.size());
    sums.forEach((group, sum) -> rows.add(new Row(group.day(), group.service(), group.severity(), sum)));
    return rows;
  }
}
