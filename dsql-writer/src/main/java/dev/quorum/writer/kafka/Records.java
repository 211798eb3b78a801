package dev.quorum.writer.kafka;

import dev.quorum.event.Event;
import dev.quorum.event.Topics;
import dev.quorum.event.Topics.DlqHeaders;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.writer.domain.DeadLetter;
import dev.quorum.writer.domain.Delivery;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Translates between Kafka records and the writer's deliveries, committed events and dead letters. */
final class Records {
  static final String CONTENT_TYPE_HEADER = "content-type";
  /** Longest error message put in a header: enough to name the field, short of bloating the DLQ. */
  static final int MAX_MESSAGE = 4096;

  private Records() {}

  static Delivery delivery(ConsumerRecord<byte[], byte[]> record) {
    List<Map.Entry<String, byte[]>> headers = new ArrayList<>();
    for (Header header : record.headers()) headers.add(new AbstractMap.SimpleImmutableEntry<>(header.key(), header.value()));
    return new Delivery(record.topic(), record.partition(), record.offset(),
        Instant.ofEpochMilli(record.timestamp()), record.key(), record.value(), headers);
  }

  /**
   * The stored event on the committed topic, keyed by its incident; {@code dataJson} is its data as the
   * store already wrote it, UTF-8 (null: written here).
   */
  static ProducerRecord<byte[], byte[]> committed(String topic, Event stored, byte[] dataJson) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(CONTENT_TYPE_HEADER, utf8(EventCodec.MEDIA_TYPE));
    return new ProducerRecord<>(topic, null, utf8(Topics.key(stored)), EventCodec.encode(stored, dataJson), headers);
  }

  /** The original record, unchanged, with its headers and the reason it was not stored as produced. */
  static ProducerRecord<byte[], byte[]> deadLetter(String topic, DeadLetter deadLetter) {
    Delivery delivery = deadLetter.delivery();
    RecordHeaders headers = new RecordHeaders();
    for (Map.Entry<String, byte[]> header : delivery.headers()) headers.add(header.getKey(), header.getValue());
    headers.add(DlqHeaders.ERROR_CLASS, utf8(deadLetter.errorClass()));
    headers.add(DlqHeaders.ERROR_MESSAGE, utf8(abbreviate(deadLetter.message())));
    headers.add(DlqHeaders.ERROR_REASON, utf8(deadLetter.reason().wire()));
    if (deadLetter.sqlState() != null) headers.add(DlqHeaders.SQLSTATE, utf8(deadLetter.sqlState()));
    headers.add(DlqHeaders.ORIGINAL_TOPIC, utf8(delivery.topic()));
    headers.add(DlqHeaders.ORIGINAL_PARTITION, utf8(Integer.toString(delivery.partition())));
    headers.add(DlqHeaders.ORIGINAL_OFFSET, utf8(Long.toString(delivery.offset())));
    headers.add(DlqHeaders.ORIGINAL_TIMESTAMP, utf8(delivery.timestamp().toString()));
    return new ProducerRecord<>(topic, null, delivery.key(), delivery.value(), headers);
  }

  private static String abbreviate(String message) {
    return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 1) + "…";
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
