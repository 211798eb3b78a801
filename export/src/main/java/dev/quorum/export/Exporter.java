package dev.quorum.export;

import dev.quorum.event.Event;
import dev.quorum.event.fold.Fold;
import dev.quorum.export.domain.Cut;
import dev.quorum.export.domain.EventPages;
import dev.quorum.export.domain.IncidentStreams;
import dev.quorum.export.domain.Rows;
import dev.quorum.export.domain.Table;
import dev.quorum.export.domain.Tables;
import dev.quorum.export.duckdb.DuckDbSink;
import dev.quorum.export.duckdb.DuckDbSink.Format;
import dev.quorum.kit.console.Progress;
import dev.quorum.projection.domain.Analytics;
import dev.quorum.projection.domain.Bucket;
import dev.quorum.projection.domain.BucketKey;
import dev.quorum.projection.domain.EpisodeSample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongFunction;

/**
 * Writes an export: reads the cut's events incident by incident, folds each stream with the product's one
 * fold ({@link Fold#replay}), appends its incident, episode and timeline rows to the working DuckDB, sums
 * the episodes' analytics samples into the projection's daily buckets, then copies every table out as
 * Parquet and CSV and writes the manifest.
 */
public final class Exporter {
  /** Events read per database round trip. */
  public static final int DEFAULT_PAGE_SIZE = 5_000;
  /** The working database, inside the export's directory and removed when the export ends. */
  static final String WORK_FILE = ".quorum-export.duckdb";
  static final List<Format> FORMATS = List.of(Format.PARQUET, Format.CSV);

  private final EventPages pages;
  private final int pageSize;

  public Exporter(EventPages pages, int pageSize) {
    this.pages = Objects.requireNonNull(pages, "pages");
    if (pageSize < 1) throw new IllegalArgumentException("pageSize must be >= 1: " + pageSize);
    this.pageSize = pageSize;
  }

  /** Every file an export writes into its directory. */
  public static List<String> fileNames() {
    List<String> names = new ArrayList<>();
    for (Table<?> table : Tables.ALL) for (Format format : FORMATS) names.add(format.fileName(table));
    names.add(Manifest.FILE_NAME);
    return names;
  }

  /**
   * Creates {@code directory} if needed and refuses one that already holds any file of an export, unless
   * {@code force}: an export never replaces another by accident.
   */
  public static void prepare(Path directory, boolean force) throws IOException {
    Files.createDirectories(directory);
    if (force) return;
    List<String> present = fileNames().stream().filter(name -> Files.exists(directory.resolve(name))).toList();
    if (!present.isEmpty()) {
      throw new ExportRefused(directory + " already holds " + String.join(", ", present)
          + "; choose another --out or give --force to replace them");
    }
  }

  /**
   * Exports the events of {@code cut} into {@code directory} (see {@link #prepare}); {@code progress} is
   * made for the total number of events and told how many were folded so far.
   */
  public Manifest export(Cut cut, boolean settled, String database, Path directory, LongFunction<Progress> progress)
      throws IOException, SQLException {
    long total = pages.count();
    Progress shown = progress.apply(total);
    Map<BucketKey, Bucket> buckets = new HashMap<>();
    List<Manifest.TableFiles> files = new ArrayList<>();
    long events;
    try (DuckDbSink sink = DuckDbSink.create(directory.resolve(WORK_FILE), Tables.ALL)) {
      long[] folded = {0};
      try {
        events = IncidentStreams.forEach(pages, pageSize, stream -> {
          List<Event> known = Fold.upTo(stream, cut.asOf(), cut.axis());
          if (!known.isEmpty()) write(sink, Rows.of(Fold.replay(known)), buckets);
          folded[0] += stream.size();
          shown.update(folded[0]);
        });
      } catch (UncheckedSql e) {
        throw e.getCause();
      }
      shown.done(folded[0]);
      List<Analytics.Row> rolledUp = Analytics.rollUp(buckets.entrySet(),
          new Analytics.Selection(null, null, null, null), EnumSet.allOf(Analytics.Dimension.class));
      for (Rows.AnalyticsRow row : Rows.analytics(rolledUp)) sink.append(Tables.ANALYTICS, row);
      for (Table<?> table : Tables.ALL) {
        List<String> names = sink.copyOut(table, directory, FORMATS).stream().map(p -> p.getFileName().toString()).toList();
        files.add(new Manifest.TableFiles(table.name(), sink.rows(table), names));
      }
    }
    Manifest manifest = new Manifest(cut, settled, database, events, files);
    manifest.writeTo(directory);
    return manifest;
  }

  private static void write(DuckDbSink sink, Rows.Stream rows, Map<BucketKey, Bucket> buckets) {
    try {
      sink.append(Tables.INCIDENTS, rows.incident());
      for (Rows.EpisodeRow episode : rows.episodes()) sink.append(Tables.EPISODES, episode);
      for (Rows.TimelineRow entry : rows.timeline()) sink.append(Tables.TIMELINE, entry);
    } catch (SQLException e) {
      throw new UncheckedSql(e);
    }
    for (EpisodeSample sample : rows.samples()) buckets.merge(sample.bucket(), Bucket.EMPTY.plus(sample), Bucket::plus);
  }

  /** A directory that already holds an export, without {@code --force}. */
  public static final class ExportRefused extends IOException {
    ExportRefused(String message) {
      super(message);
    }
  }

  /** Carries a working database error out of the per-stream callback. */
  private static final class UncheckedSql extends RuntimeException {
    UncheckedSql(SQLException cause) {
      super(cause);
    }

    @Override
    public synchronized SQLException getCause() {
      return (SQLException) super.getCause();
    }
  }
}
