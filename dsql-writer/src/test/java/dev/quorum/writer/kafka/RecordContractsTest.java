package dev.quorum.writer.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quorum.event.Event;
import dev.quorum.event.Stored;
import dev.quorum.event.Topics.DlqHeaders;
import dev.quorum.event.testing.Contracts;
import dev.quorum.store.testing.TestEvents;
import dev.quorum.writer.domain.DeadLetter;
import dev.quorum.writer.domain.Delivery;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What the writer publishes, against the published schemas: dead-letter headers and committed events. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RecordContractsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @EnumSource(DeadLetter.Reason.class)
  void the_headers_of_every_kind_of_dead_letter_conform_to_their_schema(DeadLetter.Reason reason) {
    // Given a dead letter of that kind, with the original record's own headers (one without a value)
    DeadLetter letter = new DeadLetter(delivery(), reason, "dev.quorum.event.codec.DecodeException",
        "$.data.title: is required".repeat(reason == DeadLetter.Reason.MALFORMED_ENVELOPE ? 500 : 1),
        reason == DeadLetter.Reason.REJECTED_BY_DATABASE ? "22021" : null);

    // When
    ProducerRecord<byte[], byte[]> record = Records.deadLetter("quorum.actions.dlq.v1", letter);

    // Then
    Contracts.requireValid("dead-letter-headers.json", headers(record).toString());
  }

  @Test
  void wrong_dead_letter_headers_fail_their_schema() {
    ObjectNode valid = headers(Records.deadLetter("quorum.actions.dlq.v1", new DeadLetter(delivery(),
        DeadLetter.Reason.INVALID_DATA, "dev.quorum.event.codec.DecodeException", "$.data.title: is required", null)));
    Contracts.requireValid("dead-letter-headers.json", valid.toString());

    List<Consumer<ObjectNode>> wrongs = List.of(
        h -> h.put(DlqHeaders.ERROR_REASON, "exploded"),
        h -> h.remove(DlqHeaders.ORIGINAL_OFFSET),
        h -> h.put(DlqHeaders.ORIGINAL_PARTITION, "three"),
        h -> h.put(DlqHeaders.SQLSTATE, "bad"),
        h -> h.put("quorum.error.severity", "high"));
    for (Consumer<ObjectNode> wrong : wrongs) {
      ObjectNode headers = valid.deepCopy();
      wrong.accept(headers);
      assertThat(Contracts.violations("dead-letter-headers.json", headers.toString())).as(headers.toString()).isNotEmpty();
    }
  }

  @Test
  void a_committed_event_conforms_to_the_stored_event_schema() {
    Event stored = TestEvents.note(UUID.randomUUID(), "rolled back")
        .withStored(new Stored(Instant.parse("2026-06-15T02:00:00Z"), Instant.parse("2026-06-15T02:00:01Z"), 1, 7));

    ProducerRecord<byte[], byte[]> record = Records.committed("quorum.events.committed.v1", stored, null);

    Contracts.requireValid("stored-event.json", new String(record.value(), StandardCharsets.UTF_8));
  }

  /** The record's headers as the schema describes them: text by name, the last of a repeated name. */
  private static ObjectNode headers(ProducerRecord<byte[], byte[]> record) {
    ObjectNode headers = JSON.createObjectNode();
    for (Header header : record.headers()) {
      if (header.value() == null) headers.putNull(header.key());
      else headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
    }
    return headers;
  }

  private static Delivery delivery() {
    return new Delivery("quorum.actions.v1", 3, 42, Instant.parse("2026-06-15T02:14:07.123Z"),
        "key".getBytes(StandardCharsets.UTF_8), "{bad".getBytes(StandardCharsets.UTF_8),
        List.<Map.Entry<String, byte[]>>of(new AbstractMap.SimpleImmutableEntry<>("traceparent", null),
            new AbstractMap.SimpleImmutableEntry<>("content-type", "application/json".getBytes(StandardCharsets.UTF_8))));
  }
}
