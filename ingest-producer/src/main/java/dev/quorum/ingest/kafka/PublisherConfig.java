package dev.quorum.ingest.kafka;

import dev.quorum.event.Topics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The settings of a {@link QuorumPublisher}: typed values for what Quorum relies on, and any other Kafka
 * producer property passed through unchanged, so SASL and SSL need configuration only.
 *
 * @param bootstrapServers Kafka's {@code bootstrap.servers}
 * @param topic where events go, {@value Topics#ACTIONS} unless testing
 * @param clientId the producer's {@code client.id}, seen in broker logs and quotas
 * @param deliveryTimeout how long a send may take, retries included, before its future fails
 * @param requestTimeout how long one produce request waits for the broker
 * @param maxBlock how long {@code send} may block when the broker is unknown or the buffer full
 * @param linger how long a record waits for others to share its batch
 * @param kafka any other producer property ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}, ...)
 */
public record PublisherConfig(
    String bootstrapServers,
    String topic,
    String clientId,
    Duration deliveryTimeout,
    Duration requestTimeout,
    Duration maxBlock,
    Duration linger,
    Map<String, String> kafka) {

  /**
   * What the publisher's guarantees rest on: a pass-through property may not change these. Keys and
   * values are serialized by the publisher itself.
   */
  public static final Set<String> FIXED = Set.of(
      ProducerConfig.ACKS_CONFIG, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
      ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
      ProducerConfig.TRANSACTIONAL_ID_CONFIG);
  /** Properties that have a typed field: set them there, not twice. */
  private static final Set<String> TYPED = Set.of(
      ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ProducerConfig.CLIENT_ID_CONFIG, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
      ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, ProducerConfig.MAX_BLOCK_MS_CONFIG, ProducerConfig.LINGER_MS_CONFIG);

  public PublisherConfig {
    requireText(bootstrapServers, "bootstrapServers");
    requireText(topic, "topic");
    requireText(clientId, "clientId");
    requirePositive(deliveryTimeout, "deliveryTimeout");
    requirePositive(requestTimeout, "requestTimeout");
    requirePositive(maxBlock, "maxBlock");
    Objects.requireNonNull(linger, "linger");
    if (linger.isNegative()) throw new IllegalArgumentException("linger must not be negative");
    // Kafka refuses a delivery timeout shorter than one request plus the linger: say so at once
    if (deliveryTimeout.compareTo(requestTimeout.plus(linger)) < 0) {
      throw new IllegalArgumentException("deliveryTimeout (" + deliveryTimeout + ") must be at least requestTimeout + linger ("
          + requestTimeout.plus(linger) + ")");
    }
    kafka = Map.copyOf(Objects.requireNonNull(kafka, "kafka"));
    for (String key : kafka.keySet()) {
      if (FIXED.contains(key)) {
        throw new IllegalArgumentException("Kafka property " + key + " is fixed by the publisher (idempotent, acks=all) and cannot be set");
      }
      if (TYPED.contains(key)) {
        throw new IllegalArgumentException("Kafka property " + key + " has a typed setting: set that instead");
      }
    }
  }

  public static Builder builder(String bootstrapServers) {
    return new Builder(bootstrapServers);
  }

  /** The producer properties: the pass-through ones, then the typed ones, then what the publisher fixes. */
  public Properties producerProperties() {
    Properties p = new Properties();
    p.putAll(kafka);
    p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.setProperty(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    p.setProperty(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(deliveryTimeout.toMillis()));
    p.setProperty(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(requestTimeout.toMillis()));
    p.setProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(maxBlock.toMillis()));
    p.setProperty(ProducerConfig.LINGER_MS_CONFIG, Long.toString(linger.toMillis()));
    p.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.setProperty(ProducerConfig.ACKS_CONFIG, "all");
    p.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return p;
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) throw new IllegalArgumentException(name + " is required");
  }

  private static void requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) throw new IllegalArgumentException(name + " must be positive, was " + value);
  }

  /** Builds a {@link PublisherConfig} with defaults for a service: answers within half a minute. */
  public static final class Builder {
    private final String bootstrapServers;
    private String topic = Topics.ACTIONS;
    private String clientId = "quorum-publisher";
    private Duration deliveryTimeout = Duration.ofSeconds(30);
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Duration maxBlock = Duration.ofSeconds(10);
    private Duration linger = Duration.ofMillis(5);
    private final Map<String, String> kafka = new LinkedHashMap<>();

    private Builder(String bootstrapServers) {
      this.bootstrapServers = bootstrapServers;
    }

    public Builder topic(String value) {
      topic = value;
      return this;
    }

    public Builder clientId(String value) {
      clientId = value;
      return this;
    }

    public Builder deliveryTimeout(Duration value) {
      deliveryTimeout = value;
      return this;
    }

    public Builder requestTimeout(Duration value) {
      requestTimeout = value;
      return this;
    }

    public Builder maxBlock(Duration value) {
      maxBlock = value;
      return this;
    }

    public Builder linger(Duration value) {
      linger = value;
      return this;
    }

    /** Passes a Kafka producer property through, e.g. {@code security.protocol=SASL_SSL}. */
    public Builder property(String key, String value) {
      kafka.put(key, value);
      return this;
    }

    public Builder properties(Map<String, String> values) {
      kafka.putAll(values);
      return this;
    }

    public PublisherConfig build() {
      return new PublisherConfig(bootstrapServers, topic, clientId, deliveryTimeout, requestTimeout, maxBlock, linger, kafka);
    }
  }
}
