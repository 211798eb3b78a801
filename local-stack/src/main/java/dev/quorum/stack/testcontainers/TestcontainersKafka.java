package dev.quorum.stack.testcontainers;

import dev.quorum.stack.KafkaBroker;
import dev.quorum.stack.kafka.BrokerSettings;
import dev.quorum.stack.kafka.KafkaAdmin;

import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

import java.util.Map;

/** A single-node Kafka (KRaft) in the {@code apache/kafka} image, with the same fast settings as the embedded broker. */
public final class TestcontainersKafka implements KafkaBroker, AutoCloseable {

    /** The image matching the kafka_2.13 artifact the embedded broker runs. */
    public static final String IMAGE = "apache/kafka:4.1.1";

    private final KafkaContainer container;

    public TestcontainersKafka() {
        this(IMAGE);
    }

    public TestcontainersKafka(String image) {
        container = new KafkaContainer(DockerImageName.parse(image))
                .withEnv(BrokerSettings.asContainerEnvironment(BrokerSettings.fastSingleNode()))
                .withCreateContainerCmdModifier(LoopbackPorts::onLoopback);
    }

    /** Starts the container and returns once the broker serves clients. */
    public TestcontainersKafka start() {
        container.start();
        return this;
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        KafkaAdmin.createTopic(bootstrapServers(), name, partitions, configs);
    }

    @Override
    public void close() {
        container.close();
    }
}
