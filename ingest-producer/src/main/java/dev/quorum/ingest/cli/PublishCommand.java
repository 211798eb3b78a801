package dev.quorum.ingest.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quorum.event.Event;
import dev.quorum.event.Ids;
import dev.quorum.event.Topics;
import dev.quorum.event.codec.DecodeException;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.ingest.kafka.PublisherConfig;
import dev.quorum.ingest.kafka.QuorumPublisher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import dev.quorum.kit.console.Progress;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.clients.producer.ProducerConfig;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code publish}: publishes one event, or a file of events (one CloudEvent per line), straight to
 * Kafka through {@link QuorumPublisher}, with a progress bar on stderr.
 */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description = {
        "Publishes Quorum events to Kafka: one event from options, or a file of events (JSON lines, one CloudEvent each).",
        "Every event is validated before the first is sent; exit 0 when all were acknowledged, 1 when Kafka failed, 2 for bad input."
    },
    sortOptions = false)
public final class PublishCommand implements Callable<Integer> {
  static final int OK = 0;
  static final int KAFKA_FAILED = 1;
  static final int BAD_INPUT = 2;
  /**
   * Events in flight at once from a file: a sliding window (once it is full, sending goes on when half of
   * it is acknowledged), which bounds what is in flight and keeps the producer's batches full.
   */
  static final int WINDOW = 40_000;

  @Spec CommandLine.Model.CommandSpec spec;

  @Option(names = {"-b", "--bootstrap-servers"}, required = true, description = "Kafka bootstrap servers, host:port[,host:port]")
  String bootstrapServers;

  @Option(names = "--topic", defaultValue = Topics.ACTIONS, description = "topic (default: ${DEFAULT-VALUE})")
  String topic;

  @Option(names = "--kafka", paramLabel = "KEY=VALUE", description = "any Kafka producer property, e.g. security.protocol=SASL_SSL (repeatable)")
  Map<String, String> kafka = new LinkedHashMap<>();

  @Option(names = "--kafka-config", paramLabel = "FILE",
      description = "a properties file of Kafka producer properties (keeps secrets off the command line)")
  Path kafkaConfig;

  @Option(names = "--timeout", defaultValue = "30s", converter = DurationConverter.class,
      description = "how long Kafka may take to acknowledge an event (default: ${DEFAULT-VALUE})")
  Duration timeout;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Input input;

  /** Either a file of events or one event. */
  static final class Input {
    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "events, one CloudEvent JSON per line; - for stdin")
    String file;

    @ArgGroup(exclusive = false)
    Single single;
  }

  /** One event from options. */
  static final class Single {
    @Option(names = {"-t", "--type"}, required = true, description = "the event type, e.g. quorum.incident.acknowledged")
    String type;

    @Option(names = {"-i", "--incident"}, required = true, description = "the incident id (UUID)")
    String incident;

    @Option(names = {"-d", "--data"}, description = "the event's data as JSON, e.g. '{\"text\":\"rolled back\"}'")
    String data;

    @Option(names = "--source", description = "the event source (default: cli/<host>)")
    String source;

    @Option(names = "--actor", description = "who did it (default: user:<login name>)")
    String actor;

    @Option(names = "--id", description = "the event id (default: a new random id)")
    String id;

    @Option(names = "--time", description = "when it happened, RFC 3339 (default: now)")
    String time;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with Quorum's exit codes for bad arguments. */
  public static CommandLine commandLine() {
    CommandLine line = new CommandLine(new PublishCommand());
    line.setParameterExceptionHandler((e, args) -> {
      e.getCommandLine().getErr().println(e.getMessage());
      e.getCommandLine().usage(e.getCommandLine().getErr());
      return BAD_INPUT;
    });
    return line;
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    List<Line> events;
    PublisherConfig config;
    try {
      events = input.file != null ? readFile(input.file) : List.of(single(input.single));
      config = publisherConfig();
    } catch (BadInput e) {
      err.println("publish: " + e.getMessage());
      return BAD_INPUT;
    }
    Progress progress = input.file != null ? Progress.on(err, "publish", events.size()) : null;
    AtomicLong acknowledged = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try (QuorumPublisher publisher = QuorumPublisher.create(config)) {
      SendWindow window = new SendWindow(WINDOW);
      for (Line line : events) {
        if (failure.get() != null) break; // the first failure stops sending; what is in flight finishes
        window.beforeSend();
        // every event came through the codec: a line of the file goes as it was read, the options as encoded
        publisher.publishDecoded(line.incident(), line.bytes(), error -> {
          if (error != null) {
            failure.compareAndSet(null, error);
          } else {
            long done = acknowledged.incrementAndGet();
            // on the producer's I/O thread: the progress is asked (a lock and the clock) once per 1,024 events
            if (progress != null && ((done & 1023) == 0 || done == events.size())) progress.update(done);
          }
          window.finished();
        });
      }
      window.awaitAll();
    } catch (KafkaException e) {
      // the producer refuses its configuration (a bad address, an unknown property value) when it is built
      err.println("publish: cannot start the Kafka producer: " + e.getMessage());
      return BAD_INPUT;
    }
    if (progress != null && progress.drawn()) progress.done(acknowledged.get());
    if (failure.get() != null) {
      err.println("publish: Kafka did not acknowledge every event: " + failure.get());
      err.println("publish: " + acknowledged.get() + " of " + events.size()
          + " were acknowledged; publishing the same file again is safe (event ids deduplicate)");
      return KAFKA_FAILED;
    }
    out.println(events.size() == 1
        ? "published event " + events.getFirst().id() + " to " + topic
        : "published " + events.size() + " events to " + topic);
    return OK;
  }

  /** Bytes of one producer batch per partition for a file (an operator's {@code batch.size} wins). */
  static final int FILE_BATCH_BYTES = 256 * 1024;

  PublisherConfig publisherConfig() {
    Map<String, String> properties = new LinkedHashMap<>();
    if (input != null && input.file != null) {
      // A file is a bulk load: with the client's 16 KiB batches about twenty events share a produce request,
      // and the broker's work per request bounded the command; a plain producer sending the same events with
      // 256 KiB batches ran several times faster on the same broker.
      properties.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(FILE_BATCH_BYTES));
    }
    if (kafkaConfig != null) {
      Properties loaded = new Properties();
      try (Reader in = Files.newBufferedReader(kafkaConfig, StandardCharsets.UTF_8)) {
        loaded.load(in);
      } catch (IOException e) {
        throw new BadInput("cannot read --kafka-config " + kafkaConfig + ": " + e.getMessage());
      }
      loaded.stringPropertyNames().forEach(key -> properties.put(key, loaded.getProperty(key)));
    }
    properties.putAll(kafka);
    try {
      Duration request = timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout : Duration.ofSeconds(10);
      return PublisherConfig.builder(bootstrapServers)
          .topic(topic)
          .clientId("quorum-publish-cli")
          .deliveryTimeout(timeout.plusMillis(5))
          .requestTimeout(request)
          .maxBlock(timeout)
          .properties(properties)
          .build();
    } catch (IllegalArgumentException e) {
      throw new BadInput(e.getMessage());
    }
  }

  /**
   * An event the codec accepted: its ids, and where its bytes are (what is published, as read). Only this is
   * kept until it is sent: holding every decoded event of a large file made validating it mostly the
   * collector's work, copying what could not die young.
   */
  record Line(UUID id, UUID incident, byte[] source, int start, int end) {
    /** An event from the options, as the codec writes it. */
    static Line of(Event event) {
      byte[] encoded = EventCodec.encode(event);
      return new Line(event.id(), event.incidentId(), encoded, 0, encoded.length);
    }

    byte[] bytes() {
      return start == 0 && end == source.length ? source : Arrays.copyOfRange(source, start, end);
    }
  }

  /** Reads and validates every line first, so that a bad line publishes nothing. */
  private static List<Line> readFile(String file) {
    byte[] content;
    try {
      content = file.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
    } catch (IOException e) {
      throw new BadInput("cannot read " + file + ": " + e.getMessage());
    }
    return lines(file, content, content.length < PARALLEL_BYTES ? 1
        : Math.min(Runtime.getRuntime().availableProcessors(), MAX_VALIDATORS));
  }

  /**
   * The events of {@code content}, validated in {@code validators} stretches at once, in file order.
   *
   * @throws RuntimeException naming the file's first bad line (numbered from 1 in the whole file) and why
   */
  static List<Line> lines(String file, byte[] content, int validators) {
    List<Chunk> chunks = validate(content, validators);
    List<Line> lines = new ArrayList<>();
    int before = 0;
    for (Chunk chunk : chunks) {
      if (chunk.error() != null) throw new BadInput(file + " line " + (before + chunk.errorLine()) + ": " + chunk.error());
      lines.addAll(chunk.lines());
      before += chunk.lineCount();
    }
    if (lines.isEmpty()) throw new BadInput(file + " holds no events");
    return lines;
  }

  /** A file at least this large is validated on several cores at once. */
  static final int PARALLEL_BYTES = 1 << 20;
  private static final int MAX_VALIDATORS = 8;

  /**
   * What validating one stretch of a file found: its events, or the first bad line (numbered within the
   * stretch) and why.
   */
  private record Chunk(List<Line> lines, int lineCount, int errorLine, String error) {}

  /**
   * Validates {@code content} in {@code parts} stretches of whole lines at once, the first on this thread: the
   * stretches in file order, so that the first with an error holds the file's first bad line.
   */
  static List<Chunk> validate(byte[] content, int parts) {
    List<int[]> bounds = new ArrayList<>(parts);
    int from = 0;
    for (int k = 1; k <= parts && from < content.length; k++) {
      int to = k == parts ? content.length : Math.max(from + 1, (int) ((long) content.length * k / parts));
      while (to < content.length && content[to - 1] != '\n') to++;
      if (to > from) bounds.add(new int[] {from, to});
      from = to;
    }
    if (bounds.size() <= 1) return List.of(chunk(content, 0, content.length));
    ExecutorService validators = Executors.newFixedThreadPool(bounds.size() - 1,
        task -> Thread.ofPlatform().daemon().name("publish-validate").unstarted(task));
    try {
      List<CompletableFuture<Chunk>> rest = new ArrayList<>();
      for (int[] b : bounds.subList(1, bounds.size())) {
        rest.add(CompletableFuture.supplyAsync(() -> chunk(content, b[0], b[1]), validators));
      }
      List<Chunk> chunks = new ArrayList<>(bounds.size());
      chunks.add(chunk(content, bounds.getFirst()[0], bounds.getFirst()[1]));
      for (var future : rest) chunks.add(future.join());
      return chunks;
    } finally {
      validators.shutdownNow();
    }
  }

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;
  private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;

  /**
   * The index of the first {@code '\n'} in {@code content[from, to)}, or {@code to}: eight bytes at a time (a
   * byte at a time, finding the line ends was a fifth of validating a file).
   */
  static int lineEnd(byte[] content, int from, int to) {
    int i = from;
    for (; i + Long.BYTES <= to; i += Long.BYTES) {
      long word = (long) LONGS.get(content, i) ^ NEWLINES;
      // a byte of the word is zero where a newline was; the lowest flagged byte is the first such (a flag
      // above a true zero may be false, never one below it)
      long zeros = (word - ONES) & ~word & HIGH_BITS;
      if (zeros != 0) return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
    }
    while (i < to && content[i] != '\n') i++;
    return i;
  }

  /** Decodes the lines of {@code content[from, to)}, which starts a line; stops at the first bad one. */
  private static Chunk chunk(byte[] content, int from, int to) {
    List<Line> lines = new ArrayList<>();
    int number = 0;
    for (int start = from; start < to; ) {
      int end = lineEnd(content, start, to);
      int next = end + 1;
      if (end > start && content[end - 1] == '\r') end--;
      number++;
      byte[] bytes = Arrays.copyOfRange(content, start, end);
      int first = start;
      start = next;
      if (blank(bytes)) continue;
      Event event;
      try {
        event = EventCodec.decode(bytes);
      } catch (DecodeException e) {
        return new Chunk(List.of(), number, number, e.getMessage());
      }
      if (event.isStored()) {
        return new Chunk(List.of(), number, number, "$.ingestedat: is set by the pipeline when the event is first"
            + " stored; a producer must not send it (an event read from the committed topic is not an action)");
      }
      lines.add(new Line(event.id(), event.incidentId(), content, first, first + bytes.length));
    }
    return new Chunk(lines, number, 0, null);
  }

  /** Whether a line holds only white space, as {@link String#isBlank} sees it. */
  private static boolean blank(byte[] line) {
    for (byte b : line) {
      if (b < 0) return new String(line, StandardCharsets.UTF_8).isBlank();
      if (!Character.isWhitespace(b)) return false;
    }
    return true;
  }

  private static Line single(Single options) {
    ObjectNode envelope = JsonNodeFactory.instance.objectNode();
    envelope.put("specversion", EventCodec.SPEC_VERSION);
    envelope.put("id", options.id != null ? options.id : Ids.newEventId().toString());
    envelope.put("source", options.source != null ? options.source : "cli/" + host());
    envelope.put("type", options.type);
    envelope.put("subject", options.incident);
    envelope.put("time", options.time != null ? options.time : Instant.now().toString());
    envelope.put("actor", options.actor != null ? options.actor : "user:" + System.getProperty("user.name", "unknown"));
    try {
      envelope.set("data", options.data == null ? JsonNodeFactory.instance.objectNode() : parseData(options.data));
      Event event = EventCodec.fromTree(envelope);
      return Line.of(event);
    } catch (DecodeException e) {
      throw new BadInput(e.getMessage());
    }
  }

  private static JsonNode parseData(String data) {
    try {
      return EventCodec.parse(data.getBytes(StandardCharsets.UTF_8));
    } catch (DecodeException e) {
      throw new DecodeException("$.data", e.reason());
    }
  }

  private static String host() {
    String host = System.getenv("HOSTNAME");
    return host == null || host.isBlank() ? "localhost" : host;
  }

  /** Input the command cannot publish; reported with exit code {@value #BAD_INPUT}. */
  private static final class BadInput extends RuntimeException {
    BadInput(String message) {
      super(message);
    }
  }

  /** Parses {@code 30s}, {@code 500ms}, {@code 2m} or an ISO-8601 duration. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return Durations.parse(value);
    }
  }

}
