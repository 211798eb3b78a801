package dev.quorum.kit.config;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Which Kafka client and Streams properties Kafka itself types as {@code PASSWORD}
 * ({@code ssl.keystore.key}, {@code ssl.key.password}, {@code sasl.jaas.config}, ...), read from the
 * clients' own {@link ConfigDef}s on the classpath, so that a property is masked for what it is, not
 * for the words in its name.
 */
final class KafkaConfigTypes {
  /** Streams passes these prefixes on to its clients ({@code producer.ssl.keystore.key}). */
  private static final List<String> STREAMS_CLIENT_PREFIXES = List.of("main.consumer.", "restore.consumer.",
      "global.consumer.", "consumer.", "producer.", "admin.");
  private static final Set<String> PASSWORDS = passwords();

  private KafkaConfigTypes() {}

  static boolean isPassword(String property) {
    if (PASSWORDS.contains(property)) return true;
    for (String prefix : STREAMS_CLIENT_PREFIXES) {
      if (property.startsWith(prefix)) return PASSWORDS.contains(property.substring(prefix.length()));
    }
    return false;
  }

  private static Set<String> passwords() {
    Set<String> names = new HashSet<>();
    add(names, () -> org.apache.kafka.clients.producer.ProducerConfig.configDef());
    add(names, () -> org.apache.kafka.clients.consumer.ConsumerConfig.configDef());
    add(names, () -> org.apache.kafka.clients.admin.AdminClientConfig.configDef());
    add(names, () -> org.apache.kafka.streams.StreamsConfig.configDef());
    return Set.copyOf(names);
  }

  /** Adds the definition's passwords; a service without that Kafka jar has none of its properties. */
  private static void add(Set<String> names, Supplier<ConfigDef> definition) {
    try {
      definition.get().configKeys().forEach((name, key) -> {
        if (key.type == ConfigDef.Type.PASSWORD) names.add(name);
      });
    } catch (NoClassDefFoundError absent) {
      // kafka-clients or kafka-streams is not on this service's classpath
    }
  }
}
