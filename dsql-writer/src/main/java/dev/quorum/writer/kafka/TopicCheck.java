package dev.quorum.writer.kafka;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/** The writer's start-up checks on its topics: they exist, and the input uses LogAppendTime. */
final class TopicCheck {
  static final String LOG_APPEND_TIME = "LogAppendTime";

  private TopicCheck() {}

  /**
   * Refuses to start on an input topic whose timestamps the producers set: ingestedAt is the broker's
   * append time, the record's order (DESIGN §3), and a producer's clock must not decide it.
   */
  static void verify(Admin admin, String actionsTopic, List<String> outputTopics, long timeoutMillis) {
    try {
      Set<String> existing = admin.listTopics().names().get(timeoutMillis, TimeUnit.MILLISECONDS);
      for (String topic : concat(actionsTopic, outputTopics)) {
        if (!existing.contains(topic)) {
          throw new IllegalStateException("topic " + topic + " does not exist; create it before starting the writer");
        }
      }
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, actionsTopic);
      Map<ConfigResource, Config> configs =
          admin.describeConfigs(List.of(resource)).all().get(timeoutMillis, TimeUnit.MILLISECONDS);
      ConfigEntry type = configs.get(resource).get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG);
      String value = type == null ? "CreateTime" : type.value();
      if (!LOG_APPEND_TIME.equals(value)) {
        throw new IllegalStateException("topic " + actionsTopic + " has " + TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG
            + "=" + value + "; the writer needs " + LOG_APPEND_TIME
            + " (ingestedAt is the broker's append time, not a producer's clock)");
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not check the writer's topics: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking the writer's topics", e);
    }
  }

  private static List<String> concat(String first, List<String> rest) {
    return java.util.stream.Stream.concat(java.util.stream.Stream.of(first), rest.stream()).toList();
  }
}
