package dev.quorum.ingest.kafka;

import java.time.Instant;
import java.util.UUID;

/**
 * Where Kafka stored one event, once the broker acknowledged it (acks=all).
 *
 * @param eventId the event's id
 * @param incidentId its incident, which is also the record key
 * @param topic the topic written to
 * @param partition the partition the key maps to
 * @param offset the record's offset
 * @param timestamp the record timestamp the broker returned: its append time on a LogAppendTime topic
 */
public record Published(UUID eventId, UUID incidentId, String topic, int partition, long offset, Instant timestamp) {}
