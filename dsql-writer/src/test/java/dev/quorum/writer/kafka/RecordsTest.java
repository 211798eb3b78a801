package dev.quorum.writer.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.event.Event;
import dev.quorum.event.Stored;
import dev.quorum.event.Topics.DlqHeaders;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.store.testing.TestEvents;
import dev.quorum.writer.domain.DeadLetter;
import dev.quorum.writer.domain.Delivery;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RecordsTest {

  @Test
  void a_dead_letter_is_the_original_record_with_the_reason_and_its_origin_in_headers() {
    Delivery delivery = new Delivery("quorum.actions.v1", 3, 42, Instant.parse("2026-06-15T02:14:07.123Z"),
        "key".getBytes(StandardCharsets.UTF_8), "{bad".getBytes(StandardCharsets.UTF_8),
        List.<Map.Entry<String, byte[]>>of(new AbstractMap.SimpleImmutableEntry<>("traceparent", null)));
    DeadLetter letter = new DeadLetter(delivery, DeadLetter.Reason.REJECTED_BY_DATABASE,
        "org.postgresql.util.PSQLException", "invalid byte sequence", "22021");

    ProducerRecord<byte[], byte[]> record = Records.deadLetter("quorum.actions.dlq.v1", letter);

    assertThat(record.topic()).isEqualTo("quorum.actions.dlq.v1");
    assertThat(record.key()).isEqualTo(delivery.key());
    assertThat(record.value()).isEqualTo(delivery.value());
    assertThat(header(record, DlqHeaders.ERROR_REASON)).isEqualTo("rejected-by-database");
    assertThat(header(record, DlqHeaders.ERROR_CLASS)).isEqualTo("org.postgresql.util.PSQLException");
    assertThat(header(record, DlqHeaders.ERROR_MESSAGE)).isEqualTo("invalid byte sequence");
    assertThat(header(record, DlqHeaders.SQLSTATE)).isEqualTo("22021");
    assertThat(header(record, DlqHeaders.ORIGINAL_TOPIC)).isEqualTo("quorum.actions.v1");
    assertThat(header(record, DlqHeaders.ORIGINAL_PARTITION)).isEqualTo("3");
    assertThat(header(record, DlqHeaders.ORIGINAL_OFFSET)).isEqualTo("42");
    assertThat(header(record, DlqHeaders.ORIGINAL_TIMESTAMP)).isEqualTo("2026-06-15T02:14:07.123Z");
    assertThat(record.headers().lastHeader("traceparent")).isNotNull();
  }

  @Test
  void a_committed_event_is_keyed_by_its_incident_and_encoded_as_stored() {
    Event stored = TestEvents.note(UUID.randomUUID(), "n")
        .withStored(new Stored(Instant.parse("2026-06-15T02:00:00Z"), Instant.parse("2026-06-15T02:00:01Z"), 1, 7));

    ProducerRecord<byte[], byte[]> record = Records.committed("quorum.events.committed.v1", stored, null);

    assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(stored.incidentId().toString());
    assertThat(EventCodec.decode(record.value())).isEqualTo(stored);
    assertThat(header(record, Records.CONTENT_TYPE_HEADER)).isEqualTo(EventCodec.MEDIA_TYPE);
  }

  private static String header(ProducerRecord<byte[], byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
