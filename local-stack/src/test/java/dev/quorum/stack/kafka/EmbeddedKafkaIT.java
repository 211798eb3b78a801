package dev.quorum.stack.kafka;

import dev.quorum.stack.KafkaBroker;
import dev.quorum.stack.Loopback;
import dev.quorum.stack.junit.SeparateJvm;
import dev.quorum.stack.junit.WithKafka;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@WithKafka
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EmbeddedKafkaIT {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void a_read_committed_consumer_sees_committed_transactions_and_never_aborted_ones(KafkaBroker broker) throws Exception {
        // Given
        String topic = topic("tx");
        broker.createTopic(topic, 2);
        try (var producer = new KafkaProducer<String, String>(KafkaTestClients.transactionalProducer(broker, "tx-" + topic))) {
            producer.initTransactions();

            // When
            producer.beginTransaction();
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "committed-" + i));
            }
            producer.commitTransaction();
            producer.beginTransaction();
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "aborted-" + i));
            }
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "last", "committed-last"));
            producer.commitTransaction();
        }

        // Then
        List<String> values = consumeValues(broker.bootstrapServers(), topic, 11);
        assertThat(values).hasSize(11).allMatch(v -> v.startsWith("committed-")).contains("committed-last");
    }

    @Test
    void a_second_consumer_in_the_group_takes_over_half_the_partitions_and_gives_them_back_when_it_leaves(KafkaBroker broker) {
        // Given
        String topic = topic("rebalance");
        broker.createTopic(topic, 2);
        String group = "group-" + topic;
        var first = new KafkaConsumer<String, String>(KafkaTestClients.consumer(broker, group));
        var firstAssignment = new Assignment();
        first.subscribe(List.of(topic), firstAssignment);
        try (first) {
            await().atMost(PATIENCE).untilAsserted(() -> {
                first.poll(POLL);
                assertThat(firstAssignment.partitions).hasSize(2);
            });

            // When
            var secondAssignment = new Assignment();
            try (var second = new KafkaConsumer<String, String>(KafkaTestClients.consumer(broker, group))) {
                second.subscribe(List.of(topic), secondAssignment);

                // Then
                await().atMost(PATIENCE).untilAsserted(() -> {
                    first.poll(POLL);
                    second.poll(POLL);
                    assertThat(firstAssignment.partitions).hasSize(1);
                    assertThat(secondAssignment.partitions).hasSize(1);
                    assertThat(firstAssignment.partitions).doesNotContainAnyElementsOf(secondAssignment.partitions);
                });
            }
            await().atMost(PATIENCE).untilAsserted(() -> {
                first.poll(POLL);
                assertThat(firstAssignment.partitions).hasSize(2);
            });
        }
    }

    @Test
    void a_restarted_broker_keeps_its_port_and_every_acknowledged_record(EmbeddedKafka broker) throws Exception {
        // Given
        String topic = topic("restart");
        broker.createTopic(topic, 3);
        int port = broker.port();
        produce(broker.bootstrapServers(), topic, 100);

        // When
        broker.restart();

        // Then
        assertThat(broker.port()).isEqualTo(port);
        assertThat(consumeValues(broker.bootstrapServers(), topic, 100)).hasSize(100).doesNotHaveDuplicates();
    }

    @Test
    void a_broker_killed_with_sigkill_comes_back_with_every_acknowledged_record(@SeparateJvm EmbeddedKafka broker) throws Exception {
        // Given
        String topic = topic("kill");
        broker.createTopic(topic, 3);
        produce(broker.bootstrapServers(), topic, 100);
        ProcessHandle child = ProcessHandle.of(broker.pid()).orElseThrow();

        // When
        broker.kill();

        // Then the broker is really gone
        assertThat(child.isAlive()).isFalse();
        assertThatThrownBy(() -> new Socket(Loopback.HOST, broker.port()).close()).isInstanceOf(ConnectException.class);

        // and after a restart on the same port and log directory, nothing acknowledged is lost
        broker.start();
        assertThat(broker.pid()).isNotEqualTo(child.pid());
        assertThat(consumeValues(broker.bootstrapServers(), topic, 100)).hasSize(100).doesNotHaveDuplicates();
    }

    @Test
    void a_first_start_whose_port_another_process_took_starts_over_on_new_ports() throws Exception {
        // Given a port that some other process binds between our choosing and our binding it
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(Loopback.HOST))) {
            var handedOut = new AtomicInteger();
            var broker = EmbeddedKafka.builder()
                    .portSource(() -> handedOut.getAndIncrement() == 0 ? taken.getLocalPort() : Loopback.freePort())
                    .build();

            // When
            try (broker) {
                broker.start();

                // Then
                assertThat(broker.port()).isNotEqualTo(taken.getLocalPort());
                assertThat(handedOut).hasValueGreaterThan(2);
                broker.createTopic(topic("moved"), 1);
            }
            // and close() deleted the broker's files
            assertThat(broker.logDirectory()).doesNotExist();
        }
    }

    private static String topic(String purpose) {
        return purpose + "-" + UUID.randomUUID();
    }

    private static void produce(String bootstrapServers, String topic, int count) throws Exception {
        try (var producer = new KafkaProducer<String, String>(KafkaTestClients.producer(bootstrapServers))) {
            var sends = new ArrayList<java.util.concurrent.Future<?>>();
            for (int i = 0; i < count; i++) {
                sends.add(producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i)));
            }
            for (var send : sends) {
                send.get(30, TimeUnit.SECONDS); // acknowledged by the broker (acks=all)
            }
        }
    }

    private static List<String> consumeValues(String bootstrapServers, String topic, int expected) {
        List<String> values = new ArrayList<>();
        try (var consumer = new KafkaConsumer<String, String>(KafkaTestClients.consumer(bootstrapServers, "reader-" + UUID.randomUUID()))) {
            consumer.subscribe(List.of(topic));
            await().atMost(PATIENCE).untilAsserted(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
                    values.add(record.value());
                }
                assertThat(values).hasSizeGreaterThanOrEqualTo(expected);
            });
            // nothing more arrives: the expected count is the whole topic
            for (int i = 0; i < 3; i++) {
                consumer.poll(POLL).forEach(record -> values.add(record.value()));
            }
        }
        return values;
    }

    /** Tracks a consumer's current assignment. */
    private static final class Assignment implements ConsumerRebalanceListener {
        final Set<TopicPartition> partitions = new HashSet<>();

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            partitions.removeAll(revoked);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            partitions.addAll(assigned);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            partitions.removeAll(lost);
        }
    }
}
