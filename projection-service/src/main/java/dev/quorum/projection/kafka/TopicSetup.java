package dev.quorum.projection.kafka;

import dev.quorum.projection.kafka.ProjectionTopology.TopicNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics the projection needs when they are missing: the rebuild topic with the committed
 * topic's partition count (so both partition alike), and the compacted incidents topic.
 */
public final class TopicSetup {
  private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);

  private TopicSetup() {}

  public static void ensure(String bootstrapServers, TopicNames topics, int defaultPartitions, short replication) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (Admin admin = Admin.create(props)) {
      int partitions = partitions(admin, topics.committed()).orElse(defaultPartitions);
      List<NewTopic> missing = new ArrayList<>();
      Set<String> existing = admin.listTopics().names().get();
      if (!existing.contains(topics.committed())) missing.add(new NewTopic(topics.committed(), partitions, replication));
      if (!existing.contains(topics.rebuild())) missing.add(new NewTopic(topics.rebuild(), partitions, replication));
      // MirrorMaker creates a mirrored topic once the other region has one; Streams needs it at start
      for (String mirrored : topics.mirrored()) {
        if (!existing.contains(mirrored)) missing.add(new NewTopic(mirrored, partitions, replication));
      }
      if (!existing.contains(topics.incidents())) {
        missing.add(new NewTopic(topics.incidents(), partitions, replication)
            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
      }
      for (NewTopic topic : missing) {
        try {
          admin.createTopics(List.of(topic)).all().get();
          LOG.info("created topic {} with {} partitions", topic.name(), topic.numPartitions());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) throw e; // another instance was first
        }
      }
      // A topic created just now may not be described yet; it has the count it was created with.
      int rebuildPartitions = existing.contains(topics.rebuild())
          ? partitions(admin, topics.rebuild()).orElse(partitions)
          : partitions;
      if (rebuildPartitions != partitions) {
        throw new IllegalStateException(topics.rebuild() + " has " + rebuildPartitions + " partitions and "
            + topics.committed() + " " + partitions + ": they must partition alike");
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot set up the projection's topics: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while setting up topics", e);
    }
  }

  /** The partition count of an existing topic: what every view store of the projection has. */
  public static int partitionCount(String bootstrapServers, String topic) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (Admin admin = Admin.create(props)) {
      return partitions(admin, topic).orElseThrow(() -> new IllegalStateException(
          topic + " does not exist: create it or set projection.topics.create"));
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot describe " + topic + ": " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while describing " + topic, e);
    }
  }

  /** The partition count of a topic, or empty when it does not exist. */
  public static Optional<Integer> partitions(Admin admin, String topic) throws InterruptedException, ExecutionException {
    try {
      Map<String, TopicDescription> described = admin.describeTopics(List.of(topic)).allTopicNames().get();
      return Optional.of(described.get(topic).partitions().size());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) return Optional.empty();
      throw e;
    }
  }
}
