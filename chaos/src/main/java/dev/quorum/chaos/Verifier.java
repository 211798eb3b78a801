package dev.quorum.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.event.Event;
import dev.quorum.event.Topics.DlqHeaders;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.event.fold.Fold;
import dev.quorum.projection.domain.Views;
import dev.quorum.projection.kafka.ViewSerdes;
import dev.quorum.stack.kafka.KafkaTestClients;
import dev.quorum.store.Page;
import dev.quorum.store.Position;
import dev.quorum.store.jdbc.JdbcEventStore;
import dev.quorum.store.tx.RetryPolicy;
import dev.quorum.store.tx.TransactionRunner;
import dev.quorum.event.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * What the run left behind, read from the database (the record), both groups' committed topics and
 * DLQs (read_committed) and the projection's query API, against what the load generator was told.
 */
final class Verifier {
  private static final Pattern POISON = Pattern.compile(LoadPlan.POISON_MARK + "([0-9a-f-]{36})");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Pipeline pipeline;

  Verifier(Pipeline pipeline) {
    this.pipeline = pipeline;
  }

  /** Waits until both writer groups committed offsets up to the end of the actions topic. */
  void awaitWritersCaughtUp(Duration timeout) {
    try (Admin admin = Admin.create(KafkaTestClients.admin(pipeline.kafka.bootstrapServers()))) {
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      for (int p = 0; p < pipeline.settings.partitions(); p++) request.put(new TopicPartition(Topics.ACTIONS, p), OffsetSpec.latest());
      Map<TopicPartition, Long> ends = new HashMap<>();
      admin.listOffsets(request).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
      await("both writer groups at the end of " + Topics.ACTIONS).atMost(timeout).pollInterval(Duration.ofSeconds(1))
          .until(() -> {
            FaultPlan.reviveExited(pipeline);
            return caughtUp(admin, Pipeline.GROUP_A, ends) && caughtUp(admin, Pipeline.GROUP_B, ends);
          });
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("could not read the end offsets of " + Topics.ACTIONS, e);
    }
  }

  static boolean caughtUp(Admin admin, String group, Map<TopicPartition, Long> ends) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    return ends.entrySet().stream().allMatch(e -> e.getValue() == 0
        || (offsets.get(e.getKey()) != null && offsets.get(e.getKey()).offset() >= e.getValue()));
  }

  Summary verify(LoadGenerator load, LoadPlan plan, FaultPlan faults, long startNanos) {
    Map<UUID, Event> stored = new HashMap<>();
    for (Event event : storedEvents(pipeline.database.dataSource())) stored.put(event.id(), event);

    // one version per id: the database's, and every committed record of it in either group's topic
    Map<UUID, Set<String>> versions = new HashMap<>();
    stored.forEach((id, event) -> versions.computeIfAbsent(id, k -> new HashSet<>()).add(EventCodec.encodeToString(event)));
    Set<UUID> committedA = collectVersions(readCommitted(Pipeline.COMMITTED_A), versions);
    Set<UUID> committedB = collectVersions(readCommitted(Pipeline.COMMITTED_B), versions);
    long duplicated = versions.values().stream().filter(v -> v.size() > 1).count();

    Set<UUID> acknowledged = Set.copyOf(load.acknowledged);
    long lost = acknowledged.stream().filter(id -> !stored.containsKey(id)).count();
    long notAcknowledgedStored = load.produced.stream().filter(id -> !stored.containsKey(id)).count();
    long unknownStored = stored.keySet().stream().filter(id -> !load.produced.contains(id)).count();

    DeadLetters deadA = deadLetters(readCommitted(Pipeline.DLQ_A));
    DeadLetters deadB = deadLetters(readCommitted(Pipeline.DLQ_B));

    long mismatch = projectionMismatches(stored.values());

    long dataDecisions = pipeline.injector.dataDecisions();
    long dataConflicts = ConflictDraws.hits(pipeline.settings.seed(), "data", dataDecisions, pipeline.settings.conflictRate());
    List<String> restarts = pipeline.services().stream().map(s -> s.name() + "=" + (s.starts() - 1)).toList();
    int unexpectedExits = pipeline.services().stream().mapToInt(Service::unexpectedExits).sum();

    return new Summary(pipeline.settings, load.produced.size(), acknowledged.size(), stored.size(), lost,
        notAcknowledgedStored, unknownStored, duplicated,
        deadA.poisonIds.size(), load.poisonAcknowledged.size(), deadA.unexpected + deadB.unexpected,
        !deadA.poisonIds.equals(deadB.poisonIds) || !deadA.poisonIds.equals(load.poisonAcknowledged),
        symmetricDifference(stored.keySet(), committedA), symmetricDifference(stored.keySet(), committedB),
        mismatch, plan.newEvents, plan.redeliveries, plan.poison, load.publications.get(), load.gatewayRetries.get(),
        load.directRetries.get(), List.copyOf(load.rejections), dataDecisions, dataConflicts, pipeline.ddlDecisions,
        pipeline.ddlConflicts, List.copyOf(faults.done), restarts, unexpectedExits,
        Duration.ofNanos(System.nanoTime() - startNanos));
  }

  private static long symmetricDifference(Set<UUID> a, Set<UUID> b) {
    return a.stream().filter(id -> !b.contains(id)).count() + b.stream().filter(id -> !a.contains(id)).count();
  }

  /** Every event in the database, by the event store's scan. */
  static List<Event> storedEvents(javax.sql.DataSource dataSource) {
    JdbcEventStore store = new JdbcEventStore(new TransactionRunner(dataSource, RetryPolicy.DEFAULT,
        Duration.ofSeconds(60)));
    List<Event> events = new ArrayList<>();
    Position position = Position.START;
    Page page;
    do {
      page = store.scan(position, Instant.now().plus(Duration.ofDays(1)), 5_000);
      events.addAll(page.events());
      position = page.next();
    } while (!page.complete());
    return events;
  }

  static Set<UUID> collectVersions(List<ConsumerRecord<byte[], byte[]>> records, Map<UUID, Set<String>> versions) {
    Set<UUID> ids = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      Event event = EventCodec.decode(record.value());
      ids.add(event.id());
      versions.computeIfAbsent(event.id(), k -> new HashSet<>()).add(EventCodec.encodeToString(event));
    }
    return ids;
  }

  /** Dead letters by the poison record they carry (a replay may dead-letter one record twice); any other is unexpected. */
  private record DeadLetters(Set<UUID> poisonIds, long unexpected) {}

  private static DeadLetters deadLetters(List<ConsumerRecord<byte[], byte[]>> records) {
    Set<UUID> ids = new HashSet<>();
    long unexpected = 0;
    for (ConsumerRecord<byte[], byte[]> record : records) {
      Matcher m = POISON.matcher(new String(record.value(), StandardCharsets.UTF_8));
      var reason = record.headers().lastHeader(DlqHeaders.ERROR_REASON);
      String why = reason == null ? "" : new String(reason.value(), StandardCharsets.UTF_8);
      if (m.find() && (why.equals("malformed-envelope") || why.equals("invalid-data"))) {
        ids.add(UUID.fromString(m.group(1)));
      } else {
        unexpected++;
        ChaosRun.progress("unexpected dead letter at %d@%d, reason %s: %s", record.partition(), record.offset(), why,
            new String(record.value(), StandardCharsets.UTF_8));
      }
    }
    return new DeadLetters(ids, unexpected);
  }

  /**
   * Incidents whose state in the projection's query API differs from the fold of their events in the
   * database, once the projection has had time to catch up (it is asked again until all agree or 3 minutes pass).
   */
  private long projectionMismatches(java.util.Collection<Event> stored) {
    return mismatches(stored, id -> projected(pipeline.projectionUrl, pipeline.token, id), () -> FaultPlan.reviveExited(pipeline),
        "projection");
  }

  /**
   * Incidents whose view in a projection ({@code projected}) differs from the fold of their stored events,
   * asked again every 2 s ({@code tick} first) until all agree or 3 minutes pass.
   */
  static long mismatches(java.util.Collection<Event> stored, java.util.function.Function<UUID, JsonNode> projected, Runnable tick,
      String name) {
    Map<UUID, List<Event>> byIncident = new HashMap<>();
    for (Event e : stored) byIncident.computeIfAbsent(e.incidentId(), k -> new ArrayList<>()).add(e);
    Map<UUID, JsonNode> expected = new HashMap<>();
    byIncident.forEach((id, events) -> expected.put(id, tree(Views.stream(Fold.fold(events)))));
    Set<UUID> differing = new HashSet<>(expected.keySet());
    try {
      await(name + " equals the fold of the database").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2))
          .until(() -> {
            tick.run();
            differing.removeIf(id -> expected.get(id).equals(projected.apply(id)));
            return differing.isEmpty();
          });
    } catch (ConditionTimeoutException e) {
      differing.stream().limit(3).forEach(id -> ChaosRun.progress("%s differs for %s:%n  fold:       %s%n  projection: %s",
          name, id, expected.get(id), projected.apply(id)));
    }
    return differing.size();
  }

  /** The incident's view in the projection at {@code url}, or null when it has none (yet). */
  static JsonNode projected(String url, String token, UUID incident) {
    try {
      HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/v1/incidents/" + incident))
          .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      return response.statusCode() == 200 ? ViewSerdes.JSON.readTree(response.body()) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Through bytes, as the API writes it, so that numbers compare as the API's answer parses. */
  private static JsonNode tree(Object view) {
    try {
      return ViewSerdes.JSON.readTree(ViewSerdes.JSON.writeValueAsBytes(view));
    } catch (IOException e) {
      throw new IllegalStateException("a view always serializes", e);
    }
  }

  private List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic) {
    return readCommitted(pipeline.kafka.bootstrapServers(), topic);
  }

  /** Every record of {@code topic} up to its last stable offset, read_committed. */
  static List<ConsumerRecord<byte[], byte[]>> readCommitted(String bootstrapServers, String topic) {
    Properties properties = KafkaTestClients.consumer(bootstrapServers, "chaos-verify-" + topic + "-" + System.nanoTime());
    properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions); // the last stable offsets, read_committed
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      await("read " + topic).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ZERO).until(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        return partitions.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp));
      });
      return records;
    }
  }
}
