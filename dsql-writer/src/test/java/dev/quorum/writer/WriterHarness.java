package dev.quorum.writer;

import static org.awaitility.Awaitility.await;

import dev.quorum.event.Event;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.stack.KafkaBroker;
import dev.quorum.stack.PostgresDatabase;
import dev.quorum.stack.kafka.KafkaTestClients;
import dev.quorum.store.EventStore;
import dev.quorum.store.Page;
import dev.quorum.store.Position;
import dev.quorum.store.jdbc.JdbcEventStore;
import dev.quorum.store.testing.Databases;
import dev.quorum.store.tx.RetryPolicy;
import dev.quorum.store.tx.TransactionRunner;
import dev.quorum.writer.config.WriterConfig;
import dev.quorum.writer.config.WriterMain;
import dev.quorum.writer.config.WriterService;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One writer scenario on the real broker and database: its own topics, group and schema, writers
 * started from a real {@link WriterConfig}, a producer that remembers where each record landed, and
 * readers of what ended up in the database, the committed topic and the DLQ.
 */
final class WriterHarness implements AutoCloseable {
  private static final AtomicInteger SCENARIOS = new AtomicInteger();

  final KafkaBroker kafka;
  final PostgresDatabase database;
  final String actions;
  final String committed;
  final String dlq;
  final String group;
  final String jdbcUrl;
  final DataSource dataSource;
  private final int partitions;
  private final List<WriterService> writers = new ArrayList<>();
  private final List<Produced> produced = new ArrayList<>();
  private final List<Process> children = new ArrayList<>();
  private final KafkaProducer<byte[], byte[]> producer;
  private final Admin admin;

  /** A record as produced, where it landed, and the event it carries when it decodes. */
  record Produced(byte[] value, int partition, long offset, Event event) {}

  WriterHarness(KafkaBroker kafka, PostgresDatabase database, int partitions) {
    this(kafka, database, partitions, Map.of("message.timestamp.type", "LogAppendTime"));
  }

  WriterHarness(KafkaBroker kafka, PostgresDatabase database, int partitions, Map<String, String> actionsConfig) {
    this.kafka = kafka;
    this.database = database;
    this.partitions = partitions;
    String suffix = "." + ProcessHandle.current().pid() + "." + SCENARIOS.incrementAndGet();
    actions = "quorum.actions.v1" + suffix;
    committed = "quorum.events.committed.v1" + suffix;
    dlq = "quorum.actions.dlq.v1" + suffix;
    group = "writer" + suffix;
    kafka.createTopic(actions, partitions, actionsConfig);
    kafka.createTopic(committed, partitions);
    kafka.createTopic(dlq, 1);
    jdbcUrl = Databases.freshSchemaUrl(database);
    dataSource = Databases.dataSource(database, jdbcUrl);
    Properties producerProperties = KafkaTestClients.producer(kafka);
    producerProperties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    producerProperties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    producer = new KafkaProducer<>(producerProperties);
    admin = Admin.create(KafkaTestClients.admin(kafka));
  }

  /** The configuration of a writer instance in this scenario, with test-sized timeouts. */
  Map<String, String> config(String instance, Map<String, String> overrides) {
    Map<String, String> raw = new HashMap<>();
    raw.put("kafka.bootstrap.servers", kafka.bootstrapServers());
    raw.put("writer.group.id", group);
    raw.put("writer.instance.id", instance);
    raw.put("writer.topic.actions", actions);
    raw.put("writer.topic.committed", committed);
    raw.put("writer.topic.dlq", dlq);
    raw.put("writer.batch.max.wait", "20ms");
    raw.put("writer.poll.timeout", "100ms");
    raw.put("writer.kafka.transaction.timeout", KafkaTestClients.TRANSACTION_TIMEOUT_MS + "ms");
    raw.put("writer.unavailable.backoff.initial", "100ms");
    raw.put("writer.unavailable.backoff.max", "500ms");
    raw.put("db.url", jdbcUrl);
    raw.put("db.username", database.username());
    raw.put("db.password", database.password() == null ? "" : database.password());
    raw.put("db.pool.size", "2");
    raw.put("writer.http.host", "127.0.0.1");
    raw.put("writer.http.port", "0");
    raw.put("db.retry.initial.backoff", "2ms");
    raw.put("db.retry.max.backoff", "50ms");
    raw.put("kafka.client.session.timeout.ms", Integer.toString(KafkaTestClients.SESSION_TIMEOUT_MS));
    raw.put("kafka.client.heartbeat.interval.ms", Integer.toString(KafkaTestClients.HEARTBEAT_INTERVAL_MS));
    raw.put("kafka.client.max.poll.interval.ms", Integer.toString(KafkaTestClients.MAX_POLL_INTERVAL_MS));
    raw.put("kafka.client.request.timeout.ms", Integer.toString(KafkaTestClients.REQUEST_TIMEOUT_MS));
    raw.put("kafka.client.default.api.timeout.ms", Integer.toString(KafkaTestClients.DEFAULT_API_TIMEOUT_MS));
    raw.put("kafka.client.max.block.ms", Integer.toString(KafkaTestClients.MAX_BLOCK_MS));
    raw.put("kafka.client.delivery.timeout.ms", Integer.toString(KafkaTestClients.DELIVERY_TIMEOUT_MS));
    raw.put("kafka.client.metadata.max.age.ms", "5000");
    raw.putAll(overrides);
    return raw;
  }

  WriterService startWriter(String instance, Map<String, String> overrides) {
    return newWriter(instance, overrides).start();
  }

  /** A writer of this scenario, not started yet; closed with the harness. */
  WriterService newWriter(String instance, Map<String, String> overrides) {
    WriterService writer = new WriterService(WriterConfig.parse(config(instance, overrides)));
    synchronized (writers) {
      writers.add(writer);
    }
    return writer;
  }

  WriterService startWriter(String instance) {
    return startWriter(instance, Map.of());
  }

  /** GET on a writer's ops server ({@code /readyz}, {@code /metrics}, ...). */
  static HttpResponse<String> get(WriterService writer, String path) throws IOException, InterruptedException {
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(HttpRequest.newBuilder(URI.create(writer.baseUrl() + path)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  /** Produces a record keyed by the event's incident (or a fixed key) and remembers where it landed. */
  Produced send(String key, byte[] value) {
    try {
      RecordMetadata metadata = producer.send(new ProducerRecord<>(actions, key.getBytes(StandardCharsets.UTF_8), value)).get();
      Event event;
      try {
        event = EventCodec.decode(value);
      } catch (RuntimeException e) {
        event = null;
      }
      Produced p = new Produced(value, metadata.partition(), metadata.offset(), event);
      synchronized (produced) {
        produced.add(p);
      }
      return p;
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("could not produce to " + actions, e);
    }
  }

  /** Produces many events at once, keyed by incident; returns when all are acknowledged. */
  List<Produced> sendAll(List<Event> events) {
    List<java.util.concurrent.Future<RecordMetadata>> acks = new ArrayList<>();
    for (Event event : events) {
      acks.add(producer.send(new ProducerRecord<>(actions, event.incidentId().toString().getBytes(StandardCharsets.UTF_8),
          EventCodec.encode(event))));
    }
    List<Produced> sent = new ArrayList<>();
    try {
      for (int i = 0; i < events.size(); i++) {
        RecordMetadata metadata = acks.get(i).get();
        sent.add(new Produced(EventCodec.encode(events.get(i)), metadata.partition(), metadata.offset(), events.get(i)));
      }
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("could not produce to " + actions, e);
    }
    synchronized (produced) {
      produced.addAll(sent);
    }
    return sent;
  }

  Produced send(Event event) {
    return send(event.incidentId().toString(), EventCodec.encode(event));
  }

  List<Produced> produced() {
    synchronized (produced) {
      return List.copyOf(produced);
    }
  }

  /** Waits until the group's committed offsets cover everything produced so far. */
  void awaitAllProcessed(Duration timeout) {
    Map<TopicPartition, Long> ends = endOffsets(actions);
    await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
      Map<TopicPartition, OffsetAndMetadata> offsets = groupOffsets();
      return ends.entrySet().stream().allMatch(e -> e.getValue() == 0
          || (offsets.get(e.getKey()) != null && offsets.get(e.getKey()).offset() >= e.getValue()));
    });
    // The coordinator writes a transaction's markers to every partition on its own: the offsets may show
    // before the output does. Every transaction is complete when nothing is open on the outputs.
    await().atMost(timeout).pollInterval(Duration.ofMillis(20)).until(() -> settled(committed) && settled(dlq));
  }

  /** True when no transaction is open on the topic: each partition's last stable offset is its end. */
  private boolean settled(String topic) {
    return endOffsets(topic, org.apache.kafka.common.IsolationLevel.READ_COMMITTED)
        .equals(endOffsets(topic, org.apache.kafka.common.IsolationLevel.READ_UNCOMMITTED));
  }

  Map<TopicPartition, OffsetAndMetadata> groupOffsets() throws ExecutionException, InterruptedException {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    return offsets == null ? Map.of() : offsets;
  }

  /**
   * Runs a writer instance of this scenario in a child JVM ({@code WriterMain} on the test class path,
   * configured by {@code -D} properties), its output appended to {@code log}.
   */
  Process launchChild(String instance, Map<String, String> overrides, Map<String, String> jvmProperties, Path log) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:TieredStopAtLevel=1");
    config(instance, overrides).forEach((key, value) -> command.add("-D" + key + "=" + value));
    jvmProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(WriterMain.class.getName());
    try {
      Process child = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
      children.add(child);
      return child;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start a writer JVM", e);
    }
  }

  /** Sets configs of a topic of this scenario and waits until the broker applies them. */
  void configureTopic(String topic, Map<String, String> configs) {
    org.apache.kafka.common.config.ConfigResource resource =
        new org.apache.kafka.common.config.ConfigResource(org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic);
    List<org.apache.kafka.clients.admin.AlterConfigOp> ops = configs.entrySet().stream()
        .map(e -> new org.apache.kafka.clients.admin.AlterConfigOp(
            new org.apache.kafka.clients.admin.ConfigEntry(e.getKey(), e.getValue()),
            org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET))
        .toList();
    try {
      admin.incrementalAlterConfigs(Map.of(resource, ops)).all().get();
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("could not configure " + topic, e);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      var applied = admin.describeConfigs(List.of(resource)).all().get().get(resource);
      return configs.entrySet().stream().allMatch(e -> e.getValue().equals(applied.get(e.getKey()).value()));
    });
  }

  /** Runs one SQL statement on the scenario's schema (a constraint that makes the database refuse some values). */
  void execute(String sql) {
    try (java.sql.Connection connection = dataSource.getConnection(); java.sql.Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("could not run " + sql, e);
    }
  }

  /** Every record of a topic that read_committed consumers can see, in partition order. */
  List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic) {
    return read(topic, "read_committed");
  }

  /** Every record of a topic, those of open or aborted transactions included. */
  List<ConsumerRecord<byte[], byte[]>> readUncommitted(String topic) {
    return read(topic, "read_uncommitted");
  }

  private List<ConsumerRecord<byte[], byte[]>> read(String topic, String isolation) {
    Properties properties = KafkaTestClients.consumer(kafka, "reader-" + SCENARIOS.incrementAndGet());
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
      List<TopicPartition> topicPartitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(topicPartitions);
      consumer.seekToBeginning(topicPartitions);
      // For a read_committed consumer the end offsets are the last stable offsets; else the high watermarks.
      Map<TopicPartition, Long> ends = consumer.endOffsets(topicPartitions);
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ZERO).until(() -> {
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
        return topicPartitions.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp));
      });
      return records;
    }
  }

  Map<TopicPartition, Long> endOffsets(String topic) {
    return endOffsets(topic, org.apache.kafka.common.IsolationLevel.READ_UNCOMMITTED);
  }

  private Map<TopicPartition, Long> endOffsets(String topic, org.apache.kafka.common.IsolationLevel isolation) {
    try {
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      for (int p = 0; p < partitions(topic); p++) request.put(new TopicPartition(topic, p), OffsetSpec.latest());
      return admin.listOffsets(request, new org.apache.kafka.clients.admin.ListOffsetsOptions(isolation)).all().get()
          .entrySet().stream()
          .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  private int partitions(String topic) {
    return topic.equals(dlq) ? 1 : partitions;
  }

  /** Everything in the event log of this scenario. */
  List<Event> stored() {
    EventStore store = new JdbcEventStore(new TransactionRunner(dataSource, RetryPolicy.DEFAULT, Duration.ofSeconds(30)));
    List<Event> events = new ArrayList<>();
    Position position = Position.START;
    Page page;
    do {
      page = store.scan(position, Instant.now().plus(Duration.ofDays(1)), 1_000);
      events.addAll(page.events());
      position = page.next();
    } while (!page.complete());
    return events;
  }

  @Override
  public void close() {
    for (Process child : children) child.destroyForcibly();
    for (WriterService writer : writers.reversed()) writer.close();
    producer.close(Duration.ofSeconds(5));
    admin.close(Duration.ofSeconds(5));
  }
}
