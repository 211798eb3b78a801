package dev.quorum.writer.kafka;

import dev.quorum.store.StoreException;
import dev.quorum.writer.domain.BatchBuilder;
import dev.quorum.writer.domain.BatchProcessor;
import dev.quorum.writer.domain.DeadLetter;
import dev.quorum.writer.domain.Decoded;
import dev.quorum.writer.domain.Delivery;
import dev.quorum.writer.domain.Publication;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApplicationRecoverableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer's consumer loop and the batch protocol of DESIGN §7.1: poll, store in one database
 * transaction, then one Kafka transaction that publishes the stored events and the dead letters and
 * moves the group's offsets.
 *
 * <p>Nothing reaches Kafka before the database commit, and offsets move only with the Kafka
 * transaction, so a crash anywhere re-delivers the batch, and its second storing is a read-back of
 * what stands. While the database is unavailable the partitions stay paused but polled, offsets stay
 * put, and {@link #isReady()} is false; the batch is tried again with backoff, never skipped.
 */
public final class KafkaWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaWriter.class);
  private static final Duration LAG_REFRESH = Duration.ofSeconds(2);

  /** Counters since start. */
  public record Stats(long batchesCommitted, long eventsPublished, long deadLettersPublished,
      long kafkaAborts, long producerRestarts, long unavailableEpisodes) {}

  /** Where the writer is in its life. */
  public enum State { CREATED, RUNNING, UNAVAILABLE, STOPPED, FAILED }

  /** Told about every batch whose Kafka transaction committed; called on the loop thread, so it must be quick. */
  @FunctionalInterface
  public interface BatchObserver {
    /**
     * @param deliveries the records of the batch
     * @param databaseNanos time spent storing it (retries included)
     * @param kafkaNanos time from the Kafka transaction's start to its commit
     */
    void committed(int deliveries, long databaseNanos, long kafkaNanos);
  }

  private final WriterSettings settings;
  private final BatchProcessor processor;
  private final BatchBuilder builder;
  private final ArrayDeque<Decoded> backlog = new ArrayDeque<>();
  private final CountDownLatch started = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicReference<State> state = new AtomicReference<>(State.CREATED);
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final LongAdder batchesCommitted = new LongAdder();
  private final LongAdder eventsPublished = new LongAdder();
  private final LongAdder deadLettersPublished = new LongAdder();
  private final LongAdder kafkaAborts = new LongAdder();
  private final LongAdder producerRestarts = new LongAdder();
  private final LongAdder unavailableEpisodes = new LongAdder();
  private final Map<DeadLetter.Reason, LongAdder> deadLettersByReason = new EnumMap<>(DeadLetter.Reason.class);
  private volatile BatchObserver observer = (deliveries, databaseNanos, kafkaNanos) -> { };
  private volatile Set<TopicPartition> assigned = Set.of();
  private ConsumerLag lag;

  private volatile boolean running;
  private Thread thread;
  private KafkaConsumer<byte[], byte[]> consumer;
  private KafkaProducer<byte[], byte[]> producer;

  // Owned by the loop thread: the batch that waits for the database while it is unavailable.
  private List<Decoded> pending;
  private boolean unavailable;
  private long retryAtNanos;
  private Duration nextBackoff;

  public KafkaWriter(WriterSettings settings, BatchProcessor processor) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.processor = Objects.requireNonNull(processor, "processor");
    this.builder = new BatchBuilder(settings.limits());
    for (DeadLetter.Reason reason : DeadLetter.Reason.values()) deadLettersByReason.put(reason, new LongAdder());
  }

  /** Sets who is told about committed batches (the metrics); set it before {@link #start()}. */
  public KafkaWriter observe(BatchObserver observer) {
    this.observer = Objects.requireNonNull(observer, "observer");
    return this;
  }

  /**
   * Checks the topics, fences any predecessor with the same transactional id, subscribes, and starts
   * the loop on its own thread; returns once the loop runs.
   *
   * @throws IllegalStateException when a topic is missing or the input topic does not use LogAppendTime
   */
  public KafkaWriter start() {
    if (!state.compareAndSet(State.CREATED, State.RUNNING)) throw new IllegalStateException("already started");
    try (Admin admin = Admin.create(adminProperties())) {
      TopicCheck.verify(admin, settings.actionsTopic(), List.of(settings.committedTopic(), settings.dlqTopic()),
          settings.transactionTimeout().toMillis());
      consumer = new KafkaConsumer<>(consumerProperties());
      producer = newProducer();
      lag = new ConsumerLag(adminProperties(), settings.groupId(), this::assignment, LAG_REFRESH);
    } catch (RuntimeException e) {
      state.set(State.FAILED);
      closeClients();
      stopped.countDown();
      throw e;
    }
    running = true;
    thread = new Thread(this::loop, "dsql-writer-" + settings.transactionalId());
    thread.start();
    try {
      started.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return this;
  }

  /** True while batches flow: running, and the database is available. */
  public boolean isReady() {
    return state.get() == State.RUNNING;
  }

  /** True until the writer stopped or failed. */
  public boolean isAlive() {
    State s = state.get();
    return s == State.RUNNING || s == State.UNAVAILABLE;
  }

  public State state() {
    return state.get();
  }

  /** Why the writer failed, or null. */
  public Throwable failure() {
    return failure.get();
  }

  /** Waits until the loop ends (after {@link #close()} or a failure). */
  public boolean awaitStop(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Dead letters published (their Kafka transaction committed) for one reason. */
  public long deadLettersPublished(DeadLetter.Reason reason) {
    return deadLettersByReason.get(reason).sum();
  }

  /** The input partitions this instance owns now. */
  public Set<TopicPartition> assignment() {
    return assigned;
  }

  /**
   * Records of this instance's partitions that read_committed consumers could read and the group has
   * not committed: last refreshed within a few seconds, -1 before the first refresh.
   */
  public long consumerLag() {
    ConsumerLag current = lag;
    return current == null ? -1 : current.value();
  }

  public Stats stats() {
    return new Stats(batchesCommitted.sum(), eventsPublished.sum(), deadLettersPublished.sum(), kafkaAborts.sum(),
        producerRestarts.sum(), unavailableEpisodes.sum());
  }

  @Override
  public void close() {
    running = false;
    if (consumer != null && thread != null) consumer.wakeup();
    if (thread != null && thread != Thread.currentThread()) {
      try {
        thread.join(settings.transactionTimeout().toMillis() * 2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (thread == null) closeClients();
  }

  // ------------------------------------------------------------------------------------------ loop

  private void loop() {
    try {
      consumer.subscribe(List.of(settings.actionsTopic()), new Rebalance());
      started.countDown();
      while (running) {
        step();
      }
      state.set(State.STOPPED);
    } catch (WakeupException e) {
      if (running) fail(e);
      else state.set(State.STOPPED);
    } catch (Throwable e) {
      fail(e);
    } finally {
      started.countDown();
      closeClients();
      stopped.countDown();
      LOG.info("writer {} stopped ({})", settings.transactionalId(), state.get());
    }
  }

  private void fail(Throwable e) {
    failure.set(e);
    state.set(State.FAILED);
    LOG.error("writer {} failed: {}", settings.transactionalId(), e.toString(), e);
  }

  private void step() {
    if (unavailable) {
      // Paused partitions return nothing, but polling keeps the consumer in its group.
      consumer.poll(settings.pollTimeout());
      if (unavailable && System.nanoTime() - retryAtNanos >= 0) {
        if (pending != null) {
          attempt(pending);
        } else {
          available(); // a rebalance dropped the batch: the next one probes the database
        }
      }
      return;
    }
    long now = System.nanoTime();
    if (backlog.isEmpty()) {
      long waitNanos = Math.min(settings.pollTimeout().toNanos(), builder.nanosUntilDue(now));
      ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofNanos(Math.max(waitNanos, 1_000_000)));
      for (ConsumerRecord<byte[], byte[]> record : records) {
        if (record.timestampType() != TimestampType.LOG_APPEND_TIME) {
          throw new IllegalStateException("record " + record.topic() + "-" + record.partition() + "@"
              + record.offset() + " has a " + record.timestampType() + " timestamp; the topic must use LogAppendTime");
        }
        backlog.add(Decoded.of(Records.delivery(record)));
      }
    }
    now = System.nanoTime();
    while (!backlog.isEmpty() && builder.offer(backlog.peekFirst(), now)) backlog.pollFirst();
    if (!builder.isEmpty() && (builder.isFull() || !backlog.isEmpty() || builder.isDue(now))) {
      attempt(builder.drain());
    }
  }

  /** Steps 2 to 4 of the batch protocol for one batch. */
  private void attempt(List<Decoded> batch) {
    List<Publication> publications;
    long start = System.nanoTime();
    try {
      publications = processor.process(batch);
    } catch (StoreException e) {
      if (!e.isUnavailable()) throw e;
      unavailable(batch, e);
      return;
    }
    long databaseNanos = System.nanoTime() - start;
    CrashPoint.AFTER_DB_COMMIT.reached();
    if (unavailable) available();
    pending = null;
    publish(batch, publications, databaseNanos);
  }

  private void publish(List<Decoded> batch, List<Publication> publications, long databaseNanos) {
    try {
      long start = System.nanoTime();
      producer.beginTransaction();
      int events = 0;
      Map<DeadLetter.Reason, Integer> deadLetters = new EnumMap<>(DeadLetter.Reason.class);
      for (Publication publication : publications) {
        switch (publication) {
          case Publication.Committed c -> {
            producer.send(Records.committed(settings.committedTopic(), c.stored()));
            events++;
          }
          case Publication.DeadLettered d -> {
            producer.send(Records.deadLetter(settings.dlqTopic(), d.deadLetter()));
            deadLetters.merge(d.deadLetter().reason(), 1, Integer::sum);
          }
        }
      }
      producer.sendOffsetsToTransaction(nextOffsets(batch), consumer.groupMetadata());
      if (CrashPoint.IN_KAFKA_TRANSACTION.armed()) {
        // The halt must leave the transaction's records in the logs, not in the producer's buffer.
        producer.flush();
        CrashPoint.IN_KAFKA_TRANSACTION.reached();
      }
      producer.commitTransaction();
      long kafkaNanos = System.nanoTime() - start;
      batchesCommitted.increment();
      eventsPublished.add(events);
      deadLetters.forEach((reason, count) -> {
        deadLettersPublished.add(count);
        deadLettersByReason.get(reason).add(count);
      });
      observer.committed(batch.size(), databaseNanos, kafkaNanos);
    } catch (ApplicationRecoverableException e) {
      // Fenced by a newer producer with our transactional id, or our epoch is gone: start over.
      LOG.warn("writer {}: producer fenced ({}); restarting it and rejoining from committed offsets",
          settings.transactionalId(), e.toString());
      restartProducer();
      rewindToCommitted();
      consumer.enforceRebalance("producer fenced");
    } catch (KafkaException e) {
      // Abortable (a lost generation, a timeout, a failed send): nothing became visible; go again.
      LOG.warn("writer {}: Kafka transaction failed ({}); aborting and rewinding to committed offsets",
          settings.transactionalId(), e.toString());
      kafkaAborts.increment();
      try {
        producer.abortTransaction();
      } catch (KafkaException abortFailure) {
        restartProducer();
      }
      rewindToCommitted();
    }
  }

  private void unavailable(List<Decoded> batch, StoreException e) {
    if (!unavailable) {
      unavailable = true;
      unavailableEpisodes.increment();
      nextBackoff = settings.unavailableBackoff();
      state.compareAndSet(State.RUNNING, State.UNAVAILABLE);
      consumer.pause(consumer.assignment());
      LOG.warn("writer {}: database unavailable, partitions paused, offsets kept: {}",
          settings.transactionalId(), e.getMessage());
    } else {
      LOG.debug("writer {}: database still unavailable: {}", settings.transactionalId(), e.getMessage());
    }
    pending = batch;
    long jittered = (long) (nextBackoff.toNanos() * (0.5 + ThreadLocalRandom.current().nextDouble()));
    retryAtNanos = System.nanoTime() + jittered;
    Duration doubled = nextBackoff.multipliedBy(2);
    nextBackoff = doubled.compareTo(settings.unavailableBackoffMax()) > 0 ? settings.unavailableBackoffMax() : doubled;
  }

  private void available() {
    unavailable = false;
    pending = null;
    consumer.resume(consumer.paused());
    state.compareAndSet(State.UNAVAILABLE, State.RUNNING);
    LOG.info("writer {}: database available again, partitions resumed", settings.transactionalId());
  }

  private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(List<Decoded> batch) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (Decoded item : batch) {
      Delivery d = item.delivery();
      offsets.merge(new TopicPartition(d.topic(), d.partition()), new OffsetAndMetadata(d.offset() + 1),
          (a, b) -> a.offset() >= b.offset() ? a : b);
    }
    return offsets;
  }

  /** Forgets everything read but not committed and goes back to the group's committed offsets. */
  private void rewindToCommitted() {
    forgetUncommitted();
    seekToCommitted(consumer.assignment());
  }

  private void forgetUncommitted() {
    builder.clear();
    backlog.clear();
    pending = null;
  }

  private void seekToCommitted(Collection<TopicPartition> partitions) {
    if (partitions.isEmpty()) return;
    Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
    Set<TopicPartition> fromStart = new HashSet<>();
    for (TopicPartition partition : partitions) {
      OffsetAndMetadata offset = committed.get(partition);
      if (offset == null) fromStart.add(partition);
      else consumer.seek(partition, offset);
    }
    if (!fromStart.isEmpty()) consumer.seekToBeginning(fromStart);
  }

  /** Keeps the loop's state consistent with the assignment; runs inside poll on the loop thread. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty()) return;
      // What was read but not committed is the next owner's now; what stays ours is read again.
      forgetUncommitted();
      Set<TopicPartition> kept = new HashSet<>(consumer.assignment());
      kept.removeAll(partitions);
      assigned = Set.copyOf(kept);
      seekToCommitted(kept);
      LOG.info("writer {}: partitions revoked {}", settings.transactionalId(), partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      onPartitionsRevoked(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (unavailable && !partitions.isEmpty()) consumer.pause(partitions);
      assigned = Set.copyOf(consumer.assignment());
      LOG.info("writer {}: partitions assigned {}", settings.transactionalId(), partitions);
    }
  }

  // ---------------------------------------------------------------------------------------- clients

  private KafkaProducer<byte[], byte[]> newProducer() {
    KafkaProducer<byte[], byte[]> created = new KafkaProducer<>(producerProperties());
    try {
      // Aborts a predecessor's open transaction at once instead of leaving readers blocked on it.
      created.initTransactions();
      return created;
    } catch (RuntimeException e) {
      created.close(Duration.ZERO);
      throw e;
    }
  }

  private void restartProducer() {
    producerRestarts.increment();
    try {
      producer.close(Duration.ZERO);
    } catch (RuntimeException ignored) {
      // A fenced producer may refuse to close cleanly; it holds nothing we still need.
    }
    producer = newProducer();
  }

  private void closeClients() {
    if (lag != null) lag.close();
    if (producer != null) {
      try {
        producer.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        LOG.debug("closing the producer: {}", e.toString());
      }
    }
    if (consumer != null) {
      try {
        consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
      } catch (RuntimeException e) {
        LOG.debug("closing the consumer: {}", e.toString());
      }
    }
  }

  private Properties common() {
    Properties properties = new Properties();
    properties.putAll(settings.clientProperties());
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    return properties;
  }

  private Properties adminProperties() {
    return common();
  }

  private Properties consumerProperties() {
    Properties properties = common();
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
    properties.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.transactionalId() + "-consumer");
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    properties.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
        Integer.toString(Math.max(1, settings.limits().maxRows() / 2)));
    properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return properties;
  }

  private Properties producerProperties() {
    Properties properties = common();
    properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.transactionalId());
    properties.put(ProducerConfig.CLIENT_ID_CONFIG, settings.transactionalId() + "-producer");
    properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    properties.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(settings.transactionTimeout().toMillis()));
    properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return properties;
  }
}
