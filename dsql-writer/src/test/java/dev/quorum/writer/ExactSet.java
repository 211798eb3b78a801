package dev.quorum.writer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.event.Event;
import dev.quorum.event.Topics.DlqHeaders;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.writer.WriterHarness.Produced;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The "exact set" of a writer scenario: every valid event id produced is stored exactly once with the
 * content of its first valid version; every record not stored as produced is on the DLQ with its
 * reason; the committed topic holds every stored event, as stored, once per delivery.
 */
final class ExactSet {
  private ExactSet() {}

  /** What was found; for further assertions by the test. */
  record Summary(int stored, int committed, Map<String, String> deadLetterReasons) {}

  static Summary verify(WriterHarness harness) {
    return verify(harness, p -> false);
  }

  /**
   * @param refusedByDatabase the produced records whose values the database refuses
   */
  static Summary verify(WriterHarness harness, Predicate<Produced> refusedByDatabase) {
    Map<UUID, Event> firstVersions = new LinkedHashMap<>();
    Map<UUID, Integer> expectedDeliveries = new HashMap<>();
    Map<String, String> expectedDeadLetters = new HashMap<>();
    for (Produced p : harness.produced()) {
      String where = p.partition() + "@" + p.offset();
      if (p.event() == null) {
        expectedDeadLetters.put(where, "malformed-envelope|invalid-data");
      } else if (refusedByDatabase.test(p)) {
        expectedDeadLetters.put(where, "rejected-by-database");
      } else {
        Event first = firstVersions.putIfAbsent(p.event().id(), p.event());
        if (first == null || EventCodec.sameContent(first, p.event())) {
          expectedDeliveries.merge(p.event().id(), 1, Integer::sum);
        } else {
          expectedDeadLetters.put(where, "conflicting-duplicate");
        }
      }
    }

    // The database: every valid id once, with the content of its first valid version
    Map<UUID, Event> stored = new HashMap<>();
    for (Event event : harness.stored()) {
      assertThat(stored.put(event.id(), event)).as("event %s stored twice", event.id()).isNull();
    }
    assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(firstVersions.keySet());
    firstVersions.forEach((id, first) -> assertThat(EventCodec.canonical(stored.get(id)))
        .as("stored content of %s", id).isEqualTo(EventCodec.canonical(first)));

    // The DLQ: every record not stored as produced, with its reason and origin
    Map<String, String> deadLetters = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : harness.readCommitted(harness.dlq)) {
      assertThat(header(record, DlqHeaders.ORIGINAL_TOPIC)).isEqualTo(harness.actions);
      assertThat(header(record, DlqHeaders.ERROR_CLASS)).isNotBlank();
      assertThat(header(record, DlqHeaders.ERROR_MESSAGE)).isNotBlank();
      assertThat(header(record, DlqHeaders.ORIGINAL_TIMESTAMP)).isNotBlank();
      String where = header(record, DlqHeaders.ORIGINAL_PARTITION) + "@" + header(record, DlqHeaders.ORIGINAL_OFFSET);
      assertThat(deadLetters.put(where, header(record, DlqHeaders.ERROR_REASON)))
          .as("record %s dead-lettered twice", where).isNull();
    }
    assertThat(deadLetters.keySet()).containsExactlyInAnyOrderElementsOf(expectedDeadLetters.keySet());
    deadLetters.forEach((where, reason) -> assertThat(expectedDeadLetters.get(where).split("\\|"))
        .as("reason of %s", where).contains(reason));

    // The committed topic: the stored version, once per delivery
    Map<UUID, Integer> deliveries = new HashMap<>();
    List<ConsumerRecord<byte[], byte[]>> committed = harness.readCommitted(harness.committed);
    for (ConsumerRecord<byte[], byte[]> record : committed) {
      Event event = EventCodec.decode(record.value());
      assertThat(event).as("committed event %s as stored", event.id()).isEqualTo(stored.get(event.id()));
      assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(event.incidentId().toString());
      deliveries.merge(event.id(), 1, Integer::sum);
    }
    assertThat(deliveries).isEqualTo(expectedDeliveries);
    return new Summary(stored.size(), committed.size(), deadLetters);
  }

  /**
   * What a topic held before is still there, record for record: same partition, offset, key and
   * value bytes. The writer only ever appends to its output topics.
   */
  static void assertStillThere(List<ConsumerRecord<byte[], byte[]>> before, List<ConsumerRecord<byte[], byte[]>> after) {
    Map<String, ConsumerRecord<byte[], byte[]>> byPosition = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : after) byPosition.put(record.partition() + "@" + record.offset(), record);
    for (ConsumerRecord<byte[], byte[]> earlier : before) {
      String where = earlier.partition() + "@" + earlier.offset();
      ConsumerRecord<byte[], byte[]> now = byPosition.get(where);
      assertThat(now).as("record at %s after the restart", where).isNotNull();
      assertThat(now.key()).as("key at %s", where).isEqualTo(earlier.key());
      assertThat(now.value()).as("value at %s", where).isEqualTo(earlier.value());
    }
  }

  /**
   * Every committed record of an event id carries the same bytes (one stored version, published
   * as stored however often it was delivered), and the committed ids are exactly the database's.
   */
  static void assertOneVersionPerId(WriterHarness harness, List<ConsumerRecord<byte[], byte[]>> committed) {
    Map<UUID, byte[]> versions = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : committed) {
      UUID id = EventCodec.decode(record.value()).id();
      byte[] first = versions.putIfAbsent(id, record.value());
      if (first != null) assertThat(record.value()).as("committed bytes of %s", id).isEqualTo(first);
    }
    assertThat(versions.keySet()).containsExactlyInAnyOrderElementsOf(
        harness.stored().stream().map(Event::id).toList());
    for (Event stored : harness.stored()) {
      assertThat(EventCodec.decode(versions.get(stored.id()))).as("committed %s as stored", stored.id()).isEqualTo(stored);
    }
  }

  static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
