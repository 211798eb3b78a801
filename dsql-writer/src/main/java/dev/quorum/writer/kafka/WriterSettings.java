package dev.quorum.writer.kafka;

import dev.quorum.writer.domain.BatchLimits;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What the Kafka side of the writer needs: where the cluster is, which group and stable
 * transactional id it uses, the three topics, the batch bounds and the timeouts.
 *
 * @param transactionalId stable per instance (its ordinal): a restarted instance fences its
 *     predecessor's open transaction at once
 * @param transactionTimeout the cap of one Kafka transaction ({@code transaction.timeout.ms})
 * @param unavailableBackoff the first wait before trying the database again while it is unavailable
 * @param unavailableBackoffMax the longest such wait
 * @param databaseLanes how many database transactions may run at once, each for its own share of the
 *     partitions (partition modulo lanes), so that every partition's batches are still stored one after
 *     the other and in order
 * @param clientProperties extra client properties (security, timeouts) given to consumer, producer and admin
 */
public record WriterSettings(
    String bootstrapServers,
    String groupId,
    String transactionalId,
    String actionsTopic,
    String committedTopic,
    String dlqTopic,
    BatchLimits limits,
    Duration pollTimeout,
    Duration transactionTimeout,
    Duration unavailableBackoff,
    Duration unavailableBackoffMax,
    int databaseLanes,
    Map<String, String> clientProperties) {

  public WriterSettings {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(groupId, "groupId");
    Objects.requireNonNull(transactionalId, "transactionalId");
    Objects.requireNonNull(actionsTopic, "actionsTopic");
    Objects.requireNonNull(committedTopic, "committedTopic");
    Objects.requireNonNull(dlqTopic, "dlqTopic");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(pollTimeout, "pollTimeout");
    Objects.requireNonNull(transactionTimeout, "transactionTimeout");
    Objects.requireNonNull(unavailableBackoff, "unavailableBackoff");
    Objects.requireNonNull(unavailableBackoffMax, "unavailableBackoffMax");
    if (databaseLanes < 1) throw new IllegalArgumentException("databaseLanes must be >= 1: " + databaseLanes);
    clientProperties = clientProperties == null ? Map.of() : Map.copyOf(clientProperties);
  }
}
