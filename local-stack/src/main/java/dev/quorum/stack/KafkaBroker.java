package dev.quorum.stack;

import java.util.Map;

/** A running Kafka cluster that tests and the embedded launcher talk to. */
public interface KafkaBroker {

    /** The {@code bootstrap.servers} value, e.g. {@code 127.0.0.1:40123}. */
    String bootstrapServers();

    /**
     * Creates a topic with replication factor 1 and returns once the controller has accepted it.
     * A topic that already exists is left as it is.
     */
    void createTopic(String name, int partitions, Map<String, String> configs);

    default void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }
}
