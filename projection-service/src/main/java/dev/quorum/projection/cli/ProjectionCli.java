package dev.quorum.projection.cli;

import dev.quorum.kit.config.ConfigException;
import dev.quorum.kit.config.ConfigSources;
import dev.quorum.projection.config.Database;
import dev.quorum.projection.config.ProjectionConfig;
import dev.quorum.projection.config.ProjectionService;
import dev.quorum.projection.kafka.Republisher;
import dev.quorum.projection.kafka.TopicSetup;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The projection's command line: {@code run} the service, {@code rebuild} the views, {@code replay} the committed topic. */
@Command(name = "projection", mixinStandardHelpOptions = true,
    description = "Kafka Streams views of Quorum incidents.",
    subcommands = {ProjectionCli.Run.class, ProjectionCli.Rebuild.class, ProjectionCli.Replay.class})
public final class ProjectionCli implements Callable<Integer> {

  @Option(names = "--config", description = "a properties file of settings (default: $QUORUM_CONFIG)")
  Path configFile;

  @Option(names = {"-D", "--set"}, description = "a setting, key=value; wins over the file and the environment")
  Map<String, String> definitions = new TreeMap<>();

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line, with a configuration error reported as one line and exit code 2. */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new ProjectionCli());
    commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof ConfigException || e instanceof IllegalArgumentException) {
        cmd.getErr().println("configuration error: " + e.getMessage());
        return 2;
      }
      throw e;
    });
    return commandLine;
  }

  @Override
  public Integer call() {
    new CommandLine(this).usage(System.err);
    return 2;
  }

  ProjectionConfig config() {
    Path file = configFile != null ? configFile : ConfigSources.configFile(new String[0], System.getenv());
    return ProjectionConfig.load(file, System.getenv(), System.getProperties(), definitions);
  }

  /** Runs the service until the process is stopped. */
  @Command(name = "run", description = "Run the projection: Streams topology, query API, /metrics, /healthz, /readyz.")
  static final class Run implements Callable<Integer> {
    @CommandLine.ParentCommand ProjectionCli parent;

    @Override
    public Integer call() throws InterruptedException {
      ProjectionService service = new ProjectionService(parent.config());
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        service.close();
        stopped.countDown();
      }, "projection-shutdown"));
      service.start();
      stopped.await();
      return 0;
    }
  }

  /** The time range of a rebuild or replay, on the RECORDED axis. */
  static class Range {
    @Option(names = "--from", description = "first recordedAt included (ISO-8601); default: the log's start")
    Instant from;

    @Option(names = "--to", description = "recordedAt excluded (ISO-8601); default: now minus projection.asof.settle")
    Instant to;

    Instant from() {
      return from == null ? Instant.EPOCH : from;
    }

    Instant to(ProjectionConfig config) {
      // Later records may still be in flight in a writer's transaction; the settled part only by default.
      return to == null ? Instant.now().minus(config.asOfSettle()) : to;
    }
  }

  /** What rebuild and replay share: a time range of the event log, republished to one topic with progress. */
  abstract static class Republish implements Callable<Integer> {
    @CommandLine.ParentCommand ProjectionCli parent;
    @CommandLine.Mixin Range range = new Range();
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    abstract String topic(ProjectionConfig config);

    @Override
    public Integer call() {
      ProjectionConfig config = parent.config();
      return republish(config, range, topic(config), spec.name(), spec.commandLine().getErr());
    }
  }

  @Command(name = "rebuild", description = "Rebuild the views from the database: send stored events to the rebuild topic,"
      + " which every projection instance folds like committed events.")
  static final class Rebuild extends Republish {
    @Override
    String topic(ProjectionConfig config) {
      return config.topics().rebuild();
    }
  }

  @Command(name = "replay", description = "Republish stored events of a time range to the committed topic"
      + " (after the topic was lost or truncated).")
  static final class Replay extends Republish {
    @Override
    String topic(ProjectionConfig config) {
      return config.topics().committed();
    }
  }

  static int republish(ProjectionConfig config, Range range, String topic, String label, java.io.PrintWriter err) {
    Instant from = range.from();
    Instant to = range.to(config);
    if (config.createTopics()) {
      TopicSetup.ensure(config.bootstrapServers(), config.topics(), config.topicPartitions(), config.topicReplication());
    }
    try (Database database = Database.require(config)) {
      ProgressBar bar = new ProgressBar(err, label, range.from == null ? null : from, to);
      long sent = new Republisher(database.log(), config.bootstrapServers(), new Properties())
          .republish(topic, from, to, bar::update);
      bar.done(sent);
      err.printf("%s: sent %,d stored events recorded in [%s, %s) to %s%n", label, sent, from, to, topic);
      err.flush();
    }
    return 0;
  }
}
