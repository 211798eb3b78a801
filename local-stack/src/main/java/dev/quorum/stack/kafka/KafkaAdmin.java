package dev.quorum.stack.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** The admin calls every broker flavour shares: waiting until a broker serves, creating topics. */
public final class KafkaAdmin {

    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);

    private KafkaAdmin() {
    }

    /**
     * Returns once the cluster lists an unfenced broker (fenced brokers are not listed), or throws
     * when {@code alive} turns false or the timeout passes; {@code diagnostics} names what to look at.
     */
    public static void awaitReady(String bootstrapServers, Duration timeout, BooleanSupplier alive, Supplier<String> diagnostics) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        try (Admin admin = Admin.create(KafkaTestClients.admin(bootstrapServers))) {
            while (System.nanoTime() < deadline) {
                if (!alive.getAsBoolean()) {
                    throw new IllegalStateException("Kafka broker at " + bootstrapServers + " exited while starting; " + diagnostics.get());
                }
                try {
                    if (!admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                }
                pause();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka at " + bootstrapServers, e);
        }
        throw new IllegalStateException("Kafka broker at " + bootstrapServers + " was not ready within " + timeout + "; " + diagnostics.get(), last);
    }

    /** Creates a topic with one replica per partition unless it exists, and waits until every partition has a leader. */
    public static void createTopic(String bootstrapServers, String name, int partitions, Map<String, String> configs) {
        try (Admin admin = Admin.create(KafkaTestClients.admin(bootstrapServers))) {
            try {
                admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs)))
                        .all().get(TOPIC_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("could not create topic " + name + " on " + bootstrapServers, e.getCause());
                }
            }
            awaitLeaders(admin, name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("topic " + name + " was not created within " + TOPIC_TIMEOUT, e);
        }
    }

    private static void awaitLeaders(Admin admin, String topic) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TOPIC_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                TopicDescription description = admin.describeTopics(Set.of(topic)).allTopicNames()
                        .get(2, TimeUnit.SECONDS).get(topic);
                if (description.partitions().stream().map(TopicPartitionInfo::leader).allMatch(leader -> leader != null && !leader.isEmpty())) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                // metadata not propagated yet: ask again
            }
            pause();
        }
        throw new TimeoutException("partitions of " + topic + " have no leader after " + TOPIC_TIMEOUT);
    }

    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        }
    }
}
