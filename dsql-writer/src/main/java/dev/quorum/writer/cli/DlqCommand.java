package dev.quorum.writer.cli;

import dev.quorum.event.Topics.DlqHeaders;
import dev.quorum.kit.config.ConfigException;
import dev.quorum.kit.config.ConfigKey;
import dev.quorum.kit.config.ConfigSources;
import dev.quorum.kit.config.Settings;
import dev.quorum.writer.config.WriterConfig;
import dev.quorum.writer.domain.DeadLetter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * The {@code dlq} command: lists and shows dead letters by reason, and redrives selected ones to the
 * input topic unchanged (same key, same value, so the same event id) once their cause is fixed.
 */
@Command(name = "dlq", mixinStandardHelpOptions = true,
    description = "Inspect the writer's dead letters and redrive them to the input topic.",
    subcommands = {DlqCommand.ListCommand.class, DlqCommand.ShowCommand.class, DlqCommand.RedriveCommand.class})
public final class DlqCommand implements Callable<Integer> {
  /** Names the dead letter a redriven record came from; a redriven record that fails again keeps it. */
  public static final String REDRIVEN_FROM_HEADER = "quorum.redriven.from";
  static final List<ConfigKey<?>> KEYS =
      List.of(WriterConfig.BOOTSTRAP_SERVERS, WriterConfig.ACTIONS_TOPIC, WriterConfig.DLQ_TOPIC);

  @Option(names = "--config", description = "the writer's properties file (default: $QUORUM_CONFIG)")
  Path configFile;

  @Option(names = {"-D", "--set"}, description = "a setting, key=value; wins over the file and the environment")
  Map<String, String> definitions = new TreeMap<>();

  @Spec CommandSpec spec;

  private final Map<String, String> environment;
  private final Properties system;

  DlqCommand(Map<String, String> environment, Properties system) {
    this.environment = environment;
    this.system = system;
  }

  public static void main(String[] args) {
    System.exit(commandLine(System.getenv(), System.getProperties()).execute(args));
  }

  /** The command line over the given sources; a configuration error is one line and exit code 2. */
  public static CommandLine commandLine(Map<String, String> environment, Properties system) {
    CommandLine commandLine = new CommandLine(new DlqCommand(environment, system));
    commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof ConfigException || e instanceof IllegalArgumentException) {
        cmd.getErr().println("dlq: " + e.getMessage());
        return 2;
      }
      throw e;
    });
    return commandLine;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** Bootstrap servers, the two topics and {@code kafka.client.*}, from the writer's configuration sources. */
  record Target(String bootstrapServers, String actionsTopic, String dlqTopic, Map<String, String> clientProperties) {}

  Target target() {
    Path file = configFile != null ? configFile : ConfigSources.configFile(new String[0], environment);
    List<String> passThrough = List.of(WriterConfig.KAFKA_CLIENT_PREFIX);
    Map<String, String> raw = ConfigSources.merge(file, environment, system, KEYS, List.of(), passThrough);
    raw.putAll(definitions);
    // Only these keys matter here; the writer's other keys in the same file are left to the writer.
    Settings settings = Settings.parse(KEYS, List.of(), passThrough, raw);
    return new Target(settings.get(WriterConfig.BOOTSTRAP_SERVERS), settings.get(WriterConfig.ACTIONS_TOPIC),
        settings.get(WriterConfig.DLQ_TOPIC), settings.withPrefix(WriterConfig.KAFKA_CLIENT_PREFIX));
  }

  DeadLetters deadLetters(Target target) {
    return new DeadLetters(target.bootstrapServers(), target.clientProperties(), target.dlqTopic(),
        spec.commandLine().getErr());
  }

  static String checkedReason(String reason) {
    Set<String> known = Arrays.stream(DeadLetter.Reason.values()).map(DeadLetter.Reason::wire)
        .collect(Collectors.toCollection(LinkedHashSet::new));
    if (reason != null && !known.contains(reason)) {
      throw new IllegalArgumentException("unknown reason " + reason + "; one of " + String.join(", ", known));
    }
    return reason;
  }

  private static String oneLine(String text, int max) {
    if (text == null) return "-";
    String flat = text.replaceAll("\\s+", " ");
    return flat.length() <= max ? flat : flat.substring(0, max - 1) + "…";
  }

  /** {@code list [--reason R] [--limit N]}: one line per dead letter, then a count per reason. */
  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "List dead letters: position, reason, event id, original position, time, message.")
  static final class ListCommand implements Callable<Integer> {
    @ParentCommand DlqCommand parent;

    @Option(names = "--reason", description = "only this reason: malformed-envelope, invalid-data, "
        + "conflicting-duplicate, rejected-by-database, rejected-by-kafka")
    String reason;

    @Option(names = "--limit", defaultValue = "100", description = "print at most this many (default ${DEFAULT-VALUE}); counts cover all")
    int limit;

    @Override
    public Integer call() {
      checkedReason(reason);
      if (limit < 0) throw new IllegalArgumentException("--limit must be >= 0");
      PrintWriter out = parent.spec.commandLine().getOut();
      Map<String, Integer> counts = new TreeMap<>();
      int[] printed = {0};
      parent.deadLetters(parent.target()).scan(e -> reason == null || reason.equals(e.reason()), entry -> {
        counts.merge(entry.reason(), 1, Integer::sum);
        if (printed[0] < limit) {
          out.printf("%s\t%s\t%s\t%s\t%s\t%s%n", entry.position(), entry.reason(),
              entry.eventId() == null ? "-" : entry.eventId(), entry.original(),
              Instant.ofEpochMilli(entry.record().timestamp()), oneLine(entry.header(DlqHeaders.ERROR_MESSAGE), 160));
          printed[0]++;
        }
        return true;
      });
      out.flush();
      PrintWriter err = parent.spec.commandLine().getErr();
      int total = counts.values().stream().mapToInt(Integer::intValue).sum();
      err.printf("%d dead letter(s)%s%s%n", total, counts.isEmpty() ? "" : ": ",
          counts.entrySet().stream().map(c -> c.getKey() + " " + c.getValue()).collect(Collectors.joining(", ")));
      if (printed[0] < total) err.printf("(%d printed; raise --limit to see more)%n", printed[0]);
      err.flush();
      return 0;
    }
  }

  /** {@code show <partition@offset | event id>}: every header and the value of the matching dead letters. */
  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "Show dead letters in full: headers, key and value.")
  static final class ShowCommand implements Callable<Integer> {
    @ParentCommand DlqCommand parent;

    @Parameters(paramLabel = "WHICH", description = "a dead letter's position partition@offset (as list prints it), or an event id")
    String which;

    @Override
    public Integer call() {
      PrintWriter out = parent.spec.commandLine().getOut();
      Predicate<DeadLetters.Entry> matches = which.contains("@")
          ? e -> e.position().equals(which.trim())
          : e -> which.trim().equalsIgnoreCase(e.eventId());
      List<DeadLetters.Entry> found = new ArrayList<>();
      parent.deadLetters(parent.target()).scan(matches, entry -> {
        found.add(entry);
        return !which.contains("@");
      });
      for (DeadLetters.Entry entry : found) {
        var record = entry.record();
        out.printf("position: %s@%s%n", record.topic(), entry.position());
        out.printf("time: %s%n", Instant.ofEpochMilli(record.timestamp()));
        out.printf("reason: %s%n", entry.reason());
        out.printf("event id: %s%n", entry.eventId() == null ? "-" : entry.eventId());
        out.printf("key: %s%n", record.key() == null ? "-" : new String(record.key(), StandardCharsets.UTF_8));
        for (Header header : record.headers()) {
          out.printf("header %s: %s%n", header.key(), header.value() == null ? "-" : new String(header.value(), StandardCharsets.UTF_8));
        }
        out.printf("value:%n%s%n%n", record.value() == null ? "-" : new String(record.value(), StandardCharsets.UTF_8));
      }
      out.flush();
      if (found.isEmpty()) {
        parent.spec.commandLine().getErr().println("dlq: no dead letter " + which);
        return 1;
      }
      return 0;
    }
  }

  /** {@code redrive --reason R | --id ID... [--dry-run]}: re-produces the selected originals to the input topic. */
  @Command(name = "redrive", mixinStandardHelpOptions = true,
      description = "Send selected dead letters back to the input topic unchanged (key, value, own headers): "
          + "the writer stores them, or finds them already stored. Fix the cause first.")
  static final class RedriveCommand implements Callable<Integer> {
    @ParentCommand DlqCommand parent;

    @Option(names = "--reason", description = "every dead letter with this reason")
    String reason;

    @Option(names = "--id", split = ",", description = "dead letters of these event ids")
    List<String> ids = new ArrayList<>();

    @Option(names = "--dry-run", description = "print what would be redriven, send nothing")
    boolean dryRun;

    @Override
    public Integer call() throws InterruptedException {
      checkedReason(reason);
      if (reason == null && ids.isEmpty()) throw new IllegalArgumentException("redrive needs --reason or --id");
      Set<String> wanted = ids.stream().map(String::trim).map(String::toLowerCase).collect(Collectors.toSet());
      Predicate<DeadLetters.Entry> selected = e -> (reason == null || reason.equals(e.reason()))
          && (wanted.isEmpty() || (e.eventId() != null && wanted.contains(e.eventId().toLowerCase())));
      Target target = parent.target();
      List<DeadLetters.Entry> chosen = new ArrayList<>();
      parent.deadLetters(target).scan(selected, chosen::add);
      PrintWriter out = parent.spec.commandLine().getOut();
      if (dryRun) {
        for (DeadLetters.Entry e : chosen) out.printf("would redrive %s\t%s\t%s%n", e.position(), e.reason(), e.eventId());
        out.flush();
        parent.spec.commandLine().getErr().printf("%d dead letter(s) selected; nothing sent (--dry-run)%n", chosen.size());
        return 0;
      }
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(target))) {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (DeadLetters.Entry e : chosen) acks.add(producer.send(redriven(target, e)));
        for (int i = 0; i < chosen.size(); i++) {
          RecordMetadata sent = acks.get(i).get();
          DeadLetters.Entry e = chosen.get(i);
          out.printf("redriven %s\t%s\t%s\t-> %s-%d@%d%n", e.position(), e.reason(), e.eventId(), sent.topic(),
              sent.partition(), sent.offset());
        }
      } catch (ExecutionException e) {
        throw new IllegalStateException("redrive to " + target.actionsTopic() + " failed: " + e.getCause(), e.getCause());
      }
      out.flush();
      parent.spec.commandLine().getErr().printf("%d dead letter(s) redriven to %s%n", chosen.size(), target.actionsTopic());
      return 0;
    }

    /** The original record: its key, value and own headers, without the writer's error headers. */
    private static ProducerRecord<byte[], byte[]> redriven(Target target, DeadLetters.Entry entry) {
      RecordHeaders headers = new RecordHeaders();
      for (Header header : entry.record().headers()) {
        if (header.key().startsWith("quorum.error.") || header.key().startsWith("quorum.original.")
            || header.key().equals(REDRIVEN_FROM_HEADER)) {
          continue;
        }
        headers.add(header);
      }
      headers.add(REDRIVEN_FROM_HEADER,
          (entry.record().topic() + "-" + entry.position()).getBytes(StandardCharsets.UTF_8));
      return new ProducerRecord<>(target.actionsTopic(), null, entry.record().key(), entry.record().value(), headers);
    }

    private static Properties producerProperties(Target target) {
      Properties properties = new Properties();
      properties.putAll(target.clientProperties());
      properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, target.bootstrapServers());
      properties.put(ProducerConfig.ACKS_CONFIG, "all");
      properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
      properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
      properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
      return properties;
    }
  }
}
