package dev.quorum.writer.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One record read from the actions topic, as bytes and coordinates: what the writer must account
 * for, whether it ends up stored or dead-lettered.
 *
 * @param timestamp the broker's append time (the topic uses LogAppendTime): the event's ingestedAt
 * @param headers the record's headers, kept so that a dead letter carries them on
 */
public record Delivery(
    String topic, int partition, long offset, Instant timestamp, byte[] key, byte[] value,
    List<Map.Entry<String, byte[]>> headers) {

  public Delivery {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(timestamp, "timestamp");
    headers = headers == null ? List.of() : List.copyOf(headers);
  }

  /** The bytes this record adds to a batch: key, value and headers. */
  public long size() {
    long size = (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
    for (Map.Entry<String, byte[]> header : headers) {
      size += header.getKey().length() + (header.getValue() == null ? 0 : header.getValue().length);
    }
    return size;
  }

  @Override
  public String toString() {
    return topic + "-" + partition + "@" + offset;
  }
}
