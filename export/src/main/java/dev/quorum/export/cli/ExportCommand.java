package dev.quorum.export.cli;

import dev.quorum.event.fold.Axis;
import dev.quorum.export.Exporter;
import dev.quorum.export.Manifest;
import dev.quorum.export.domain.Cut;
import dev.quorum.export.jdbc.StorePages;
import dev.quorum.kit.config.ConfigException;
import dev.quorum.kit.config.ConfigKey;
import dev.quorum.kit.config.ConfigSources;
import dev.quorum.kit.config.Settings;
import dev.quorum.kit.console.Progress;
import dev.quorum.projection.config.ProjectionConfig;
import dev.quorum.store.StoreException;
import dev.quorum.store.config.DatabaseKeys;
import dev.quorum.store.config.DatabaseSettings;
import dev.quorum.store.jdbc.Dialect;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code quorum export}: incidents, episodes (with MTTA/MTTR), timelines and analytics buckets as of an
 * instant, folded from the event log and written as Parquet and CSV files with a manifest.
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Export incidents, episodes (with MTTA/MTTR), timelines and daily analytics buckets as Parquet and CSV files, "
            + "folded from the event log as of an instant.",
        "Exit 0 when written, 1 when reading the event log or writing the files failed, 2 for bad input or a directory that "
            + "already holds an export."
    })
public final class ExportCommand implements Callable<Integer> {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int BAD_INPUT = 2;

  /** The keys an export reads: how to reach the event log, and the writer's transaction cap (when a cut settles). */
  static final ConfigKey<Duration> TRANSACTION_CAP = ProjectionConfig.ASOF_SETTLE;
  static final List<ConfigKey<?>> KEYS = Stream.concat(
      Stream.concat(DatabaseKeys.CONNECTION.stream(), DatabaseKeys.RETRY.stream()), Stream.of(TRANSACTION_CAP)).toList();

  @Option(names = "--out", required = true, description = "the directory to write into (created if missing)")
  Path out;

  @Option(names = "--as-of", converter = InstantText.class,
      description = "the instant to export as of, RFC 3339 (2026-06-15T02:14:07Z or with an offset); default: now")
  Instant asOf;

  @Option(names = "--axis", defaultValue = "recorded",
      description = "recorded (what the record said at --as-of) or occurred (what had happened by then, by the producers' clocks); default: ${DEFAULT-VALUE}")
  Axis axis;

  @Option(names = "--force", description = "replace the files of an earlier export in --out")
  boolean force;

  @Option(names = "--db-url", description = "the event log's JDBC URL, jdbc:postgresql://host:port/db (same as -D db.url=...); "
      + "default: db.url from the configuration, else the database of a running `quorum up`")
  String dbUrl;

  @Option(names = "--config", description = "a properties file of db.* settings (default: $QUORUM_CONFIG)")
  Path configFile;

  @Option(names = {"-D", "--set"}, description = "a setting, key=value (db.dialect=dsql, db.dsql.endpoints=..., db.username=...); "
      + "wins over the file and the environment")
  Map<String, String> definitions = new TreeMap<>();

  @Option(names = "--page-size", hidden = true, description = "events per database read")
  int pageSize = Exporter.DEFAULT_PAGE_SIZE;

  private final PrintStream stdout;
  private final PrintStream stderr;
  private final Supplier<Optional<Map<String, String>>> localDatabase;

  /**
   * @param localDatabase the {@code db.*} settings of a database found on this machine (a running {@code quorum up}),
   *     used when none is configured
   */
  ExportCommand(PrintStream stdout, PrintStream stderr, Supplier<Optional<Map<String, String>>> localDatabase) {
    this.stdout = stdout;
    this.stderr = stderr;
    this.localDatabase = localDatabase;
  }

  /** Runs the command line on the process's streams; returns the exit code. */
  public static int run(String[] args, Supplier<Optional<Map<String, String>>> localDatabase) {
    return run(args, System.out, System.err, localDatabase);
  }

  /** Runs the command line, the manifest to {@code stdout}, progress and errors to {@code stderr}; returns the exit code. */
  public static int run(String[] args, PrintStream stdout, PrintStream stderr,
      Supplier<Optional<Map<String, String>>> localDatabase) {
    return commandLine(new ExportCommand(stdout, stderr, localDatabase)).execute(args);
  }

  private static CommandLine commandLine(ExportCommand command) {
    CommandLine commandLine = new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true);
    commandLine.setOut(new PrintWriter(command.stdout, true));
    commandLine.setErr(new PrintWriter(command.stderr, true));
    return commandLine;
  }

  /** RFC 3339 instants, with {@code Z} or an offset. */
  static final class InstantText implements CommandLine.ITypeConverter<Instant> {
    @Override
    public Instant convert(String text) {
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException e) {
        throw new CommandLine.TypeConversionException("not an RFC 3339 instant such as 2026-06-15T02:14:07Z: " + text);
      }
    }
  }

  @Override
  public Integer call() {
    Settings settings;
    DatabaseSettings database;
    try {
      settings = settings();
      database = database(settings);
      Exporter.prepare(out, force);
    } catch (ConfigException e) {
      stderr.println("quorum export: " + String.join("\n  ", e.errors()));
      return BAD_INPUT;
    } catch (Exporter.ExportRefused e) {
      stderr.println("quorum export: " + e.getMessage());
      return BAD_INPUT;
    } catch (IOException e) {
      stderr.println("quorum export: cannot write to " + out + ": " + e.getMessage());
      return BAD_INPUT;
    }
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS); // the log's precision
    Cut cut = new Cut(asOf == null ? now : asOf, axis, now);
    boolean settled = cut.settled(now, settings.get(TRANSACTION_CAP));
    stderr.println("quorum export: reading " + describe(database) + " as of " + cut.asOf() + " ("
        + axis.name().toLowerCase(Locale.ROOT) + ") into " + out.toAbsolutePath());
    try (StorePages pages = StorePages.open(database, DatabaseKeys.retry(settings), cut)) {
      Manifest manifest = new Exporter(pages, pageSize).export(cut, settled, describe(database), out,
          total -> Progress.on(new PrintWriter(stderr, true), "quorum export: folding events", total));
      stdout.println(manifest.toJson());
      stderr.println("quorum export: wrote " + manifest.tables().stream().mapToInt(t -> t.files().size()).sum()
          + " files and " + Manifest.FILE_NAME + " to " + out.toAbsolutePath()
          + (settled ? "" : " " + unsettled(settings.get(TRANSACTION_CAP))));
      return OK;
    } catch (StoreException e) {
      stderr.println("quorum export: the event log could not be read: " + e.getMessage());
      return FAILED;
    } catch (Exception e) {
      stderr.println("quorum export: failed: " + e);
      return FAILED;
    }
  }

  /** Why a cut is not settled (DESIGN §5), for the closing line. */
  static String unsettled(Duration transactionCap) {
    return "(not settled: the cut is within the writer's transaction cap, "
        + transactionCap.toString().substring(2).toLowerCase(Locale.ROOT)
        + ", of now, so a transaction still open may yet commit events recorded before it)";
  }

  Settings settings() {
    Path file = configFile != null ? configFile : ConfigSources.configFile(new String[0], System.getenv());
    Map<String, String> raw = ConfigSources.merge(file, System.getenv(), System.getProperties(), KEYS, List.of("db."), List.of());
    raw.putAll(definitions);
    if (dbUrl != null) raw.put(DatabaseKeys.URL.name(), dbUrl);
    if (DatabaseKeys.ifConfigured(parse(raw)).isEmpty()) {
      Map<String, String> local = localDatabase.get().orElseThrow(() -> new ConfigException("no database: give --db-url "
          + "jdbc:postgresql://host:port/db, or db.url in --config / " + DatabaseKeys.URL.environmentVariable()
          + ", or run `quorum up` on this machine"));
      raw.putAll(local); // that database's own connection settings
    }
    return parse(raw);
  }

  private static Settings parse(Map<String, String> raw) {
    // db.* keys of other components (the writer's db.migrate, ...) are theirs: none is refused here
    return Settings.parse(KEYS, List.of(), List.of(), raw);
  }

  private static DatabaseSettings database(Settings settings) {
    return DatabaseKeys.from(settings);
  }

  /** The database as the manifest names it: never a password or token. */
  static String describe(DatabaseSettings database) {
    if (database.dialect() == Dialect.DSQL) return "dsql " + String.join(",", database.dsql().endpoints());
    String url = database.jdbcUrl();
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query);
  }
}
