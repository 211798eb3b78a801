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
import java.util.ArrayList;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
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
 *
 * <p>Database transactions run on threads of their own, in lanes: each lane stores the batches of its
 * share of the partitions (partition modulo {@link WriterSettings#databaseLanes}) one at a time and in
 * order, and the lanes run at once, each on its own connection. So a partition's events are stored in
 * offset order and an incident's (one partition) never by two transactions at once, while the next
 * batches are stored as the loop publishes the previous ones: a lane's batch k+1 overlaps its batch k's
 * Kafka transaction. The loop publishes what the lanes stored in one Kafka transaction at a time, the
 * batches of every lane that finished in it; a partition's batches come from one lane, so its output
 * and offsets keep their order. Batching is natural: when a lane has nothing in flight a poll's records
 * are stored at once, and batches grow only while the database is busy. Whatever is read and not yet
 * published is dropped on a rewind or a rebalance (a newer epoch), and read again from the committed
 * offsets.
 */
public final class KafkaWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaWriter.class);
  private static final Duration LAG_REFRESH = Duration.ofSeconds(2);
  /** The transactional producer's first retry backoff, unless the operator sets one: see {@link #producerProperties}. */
  static final long RETRY_BACKOFF_MS = 5;

  /**
   * Counters since start, of batches whose Kafka transaction committed: a batch that is stored again
   * after an abort or a rebalance is counted once, when it is published.
   */
  public record Stats(long batchesCommitted, long eventsPublished, long deadLettersPublished,
      long kafkaAborts, long producerRestarts, long unavailableEpisodes, long eventsInserted,
      long eventsDuplicated, long commitRetries) {}

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
  private final Lane[] lanes;
  private final int maxBacklog;
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
  private final LongAdder eventsInserted = new LongAdder();
  private final LongAdder eventsDuplicated = new LongAdder();
  private final LongAdder commitRetries = new LongAdder();
  private final Map<DeadLetter.Reason, LongAdder> deadLettersByReason = new EnumMap<>(DeadLetter.Reason.class);
  private volatile BatchObserver observer = (deliveries, databaseNanos, kafkaNanos) -> { };
  private volatile Set<TopicPartition> assigned = Set.of();
  private ConsumerLag lag;

  private volatile boolean running;
  private Thread thread;
  private KafkaConsumer<byte[], byte[]> consumer;
  private KafkaProducer<byte[], byte[]> producer;
  private ExecutorService database;

  /** A batch whose database transaction runs on a database thread. */
  private record InFlight(BatchProcessor.Prepared prepared, Future<BatchProcessor.Written> result, long startNanos,
      long epoch) {
    List<Decoded> batch() {
      return prepared.batch();
    }
  }

  /**
   * A lane's batch the database stored, to publish. What to publish is worked out only in {@link #publish}, after
   * the lanes were handed their next batches: the database thread stores those meanwhile.
   */
  private record Stored(List<Decoded> batch, BatchProcessor.Written written, long databaseNanos) {}

  /** One lane: the partitions {@code p} with {@code p % lanes == index}, stored one batch at a time, in order. */
  private final class Lane {
    final int index;
    final BatchBuilder builder = new BatchBuilder(settings.limits());
    final ArrayDeque<Decoded> backlog = new ArrayDeque<>();
    InFlight inFlight;
    /** The batch that waits for the database while it is unavailable. */
    BatchProcessor.Prepared pending;
    /**
     * The batch after the one in flight, sealed and laid out while that one is stored (under load the builder fills
     * before the database finishes): it is handed over as soon as that one ended, with nothing left to lay out.
     */
    BatchProcessor.Prepared next;
    boolean paused;

    Lane(int index) {
      this.index = index;
    }

    boolean holds(TopicPartition partition) {
      return partition.partition() % lanes.length == index;
    }
  }

  // Owned by the loop thread.
  /** Bumped whenever what was read but not published is dropped: results of older epochs are discarded. */
  private long epoch;
  private boolean unavailable;
  /** When the database became unavailable: only a batch begun after it proves it available again. */
  private long unavailableSinceNanos;
  private long retryAtNanos;
  private Duration nextBackoff;
  /**
   * Deliveries whose committed record Kafka refused for good (too large for the committed topic), by
   * "topic-partition@offset": when their batch is read again they are dead-lettered instead. Kept
   * across rewinds, forgotten once published.
   */
  private final Map<String, DeadLetter> refusedByKafka = new HashMap<>();

  public KafkaWriter(WriterSettings settings, BatchProcessor processor) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.processor = Objects.requireNonNull(processor, "processor");
    this.lanes = new Lane[settings.databaseLanes()];
    for (int i = 0; i < lanes.length; i++) lanes[i] = new Lane(i);
    this.maxBacklog = Math.max(1, settings.limits().maxRows());
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
      AtomicInteger threads = new AtomicInteger();
      database = Executors.newFixedThreadPool(lanes.length, runnable -> {
        Thread thread = new Thread(runnable, "dsql-writer-db-" + settings.transactionalId() + "-" + threads.getAndIncrement());
        thread.setDaemon(true);
        return thread;
      });
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
        producerRestarts.sum(), unavailableEpisodes.sum(), eventsInserted.sum(), eventsDuplicated.sum(),
        commitRetries.sum());
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
    for (ConsumerRecord<byte[], byte[]> record : poll(pollTimeout())) {
      if (record.timestampType() != TimestampType.LOG_APPEND_TIME) {
        throw new IllegalStateException("record " + record.topic() + "-" + record.partition() + "@"
            + record.offset() + " has a " + record.timestampType() + " timestamp; the topic must use LogAppendTime");
      }
      lanes[record.partition() % lanes.length].backlog.add(Decoded.of(Records.delivery(record)));
    }
    long now = System.nanoTime();
    for (Lane lane : lanes) {
      fill(lane, now);
      sealNext(lane, now);
    }
    List<Stored> done = new ArrayList<>(lanes.length);
    for (Lane lane : lanes) {
      if (lane.inFlight != null && lane.inFlight.result().isDone()) {
        Stored stored = take(lane);
        if (stored != null) done.add(stored);
      }
    }
    if (!done.isEmpty()) CrashPoint.AFTER_DB_COMMIT.reached();
    // The lanes' next batches are stored while this Kafka transaction publishes the finished ones.
    for (Lane lane : lanes) startNext(lane);
    if (!done.isEmpty()) {
      List<Stored> published = new ArrayList<>(done.size());
      for (Stored stored : done) {
        if (!stored.batch().isEmpty()) published.add(stored);
      }
      if (!published.isEmpty()) publish(published);
    }
    applyPause();
  }

  /** Moves what the lane's backlog holds into its batch builder, while it fits. */
  private static void fill(Lane lane, long now) {
    while (!lane.backlog.isEmpty() && lane.builder.offer(lane.backlog.peekFirst(), now)) lane.backlog.pollFirst();
  }

  /**
   * Seals the lane's next batch while one is in flight, once the builder is full, and lays it out here (on the loop
   * thread, which waits for the database meanwhile): when the transaction before it ends, the database thread gets it
   * with nothing left to lay out. It is stored after the one in flight, as if it had been drained then; the builder
   * starts the batch after it. While the database is unavailable nothing is sealed: the kept batch goes first.
   */
  private void sealNext(Lane lane, long now) {
    if (lane.inFlight == null || lane.next != null || lane.pending != null || unavailable || lane.builder.isEmpty()) {
      return;
    }
    if (lane.builder.isFull() || !lane.backlog.isEmpty()) {
      lane.next = processor.prepare(lane.builder.drain());
      fill(lane, now);
    }
  }

  /** Hands the lane its next batch, if it has one and nothing in flight: a batch waiting for the database, or new records. */
  private void startNext(Lane lane) {
    if (lane.inFlight != null) return;
    if (unavailable) {
      // One batch probes the database at a time (an empty one when a rebalance or a rewind dropped them all);
      // the writer stays unavailable until the database answered.
      if (System.nanoTime() - retryAtNanos < 0 || anyInFlight()) return;
      Lane probe = null;
      for (Lane candidate : lanes) {
        if (candidate.pending != null) {
          probe = candidate;
          break;
        }
      }
      if (probe == null && lane == lanes[0]) submit(lane, processor.prepare(List.of()));
      else if (probe == lane) submit(lane, lane.pending);
      return;
    }
    if (lane.pending != null) {
      submit(lane, lane.pending);
    } else if (lane.next != null) {
      BatchProcessor.Prepared next = lane.next;
      lane.next = null;
      submit(lane, next);
    } else if (!lane.builder.isEmpty()
        && (lane.builder.isFull() || !lane.backlog.isEmpty() || lane.builder.isDue(System.nanoTime()))) {
      submit(lane, processor.prepare(lane.builder.drain()));
    }
  }

  private boolean anyInFlight() {
    for (Lane lane : lanes) {
      if (lane.inFlight != null) return true;
    }
    return false;
  }

  /** How long the next poll may block: until a batch falls due, or a database result wakes it. */
  private Duration pollTimeout() {
    long nanos = settings.pollTimeout().toNanos();
    long now = System.nanoTime();
    for (Lane lane : lanes) {
      if (lane.inFlight == null && !unavailable && !lane.builder.isEmpty()) {
        nanos = Math.min(nanos, lane.builder.nanosUntilDue(now));
      }
    }
    if (unavailable && !anyInFlight()) nanos = Math.min(nanos, Math.max(0, retryAtNanos - now));
    return Duration.ofNanos(Math.max(0, nanos));
  }

  /** Polls; a wake-up from a database thread ends the poll early with no records. */
  private ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
    try {
      return consumer.poll(timeout);
    } catch (WakeupException e) {
      if (!running) throw e;
      return ConsumerRecords.empty();
    }
  }

  /** Hands a batch to the lane's database transaction (step 2 of the batch protocol); one at a time per lane, in order. */
  private void submit(Lane lane, BatchProcessor.Prepared batch) {
    long submitted = epoch;
    long start = System.nanoTime();
    Future<BatchProcessor.Written> result = database.submit(() -> {
      try {
        return processor.store(batch);
      } finally {
        consumer.wakeup();
      }
    });
    lane.inFlight = new InFlight(batch, result, start, submitted);
  }

  /**
   * Takes the lane's finished database transaction: its batch to publish, or null when there is nothing to
   * publish (the database was unavailable, or the batch was dropped by a rewind or a rebalance meanwhile).
   */
  private Stored take(Lane lane) {
    InFlight done = lane.inFlight;
    lane.inFlight = null;
    BatchProcessor.Written written;
    try {
      written = done.result().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the database", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (done.epoch() != epoch) return null; // dropped anyway
      if (cause instanceof StoreException store && store.isUnavailable()) {
        unavailable(lane, done.prepared(), store);
        return null;
      }
      if (cause instanceof RuntimeException runtime) throw runtime;
      if (cause instanceof Error error) throw error;
      throw new IllegalStateException(cause);
    }
    // Stored, but read again after a rewind or a rebalance: its events are read back when redelivered.
    if (done.epoch() != epoch) return null;
    long databaseNanos = System.nanoTime() - done.startNanos();
    lane.pending = null;
    if (unavailable && done.startNanos() - unavailableSinceNanos >= 0) available();
    return new Stored(done.batch(), written, databaseNanos);
  }

  /** Pauses a lane's partitions while the database is unavailable or its backlog is full. */
  private void applyPause() {
    for (Lane lane : lanes) {
      boolean wanted = unavailable || lane.backlog.size() >= maxBacklog;
      if (wanted == lane.paused) continue;
      lane.paused = wanted;
      List<TopicPartition> partitions = new ArrayList<>();
      for (TopicPartition partition : wanted ? consumer.assignment() : consumer.paused()) {
        if (lane.holds(partition)) partitions.add(partition);
      }
      if (wanted) consumer.pause(partitions);
      else consumer.resume(partitions);
    }
  }

  /** Publishes the stored batches in one Kafka transaction (step 3 of the batch protocol), with their offsets. */
  private void publish(List<Stored> stored) {
    List<Decoded> batch = new ArrayList<>();
    List<Publication> publications = new ArrayList<>();
    for (Stored each : stored) {
      batch.addAll(each.batch());
      publications.addAll(withRefusals(processor.publications(each.written())));
    }
    List<Sent> sends = new ArrayList<>(publications.size());
    try {
      long start = System.nanoTime();
      producer.beginTransaction();
      int events = 0;
      int inserted = 0;
      Map<DeadLetter.Reason, Integer> deadLetters = new EnumMap<>(DeadLetter.Reason.class);
      for (Publication publication : publications) {
        switch (publication) {
          case Publication.Committed c -> {
            sends.add(send(c, Records.committed(settings.committedTopic(), c.stored(), c.dataJson())));
            events++;
            if (storedFrom(c)) inserted++;
          }
          case Publication.DeadLettered d -> {
            sends.add(send(d, Records.deadLetter(settings.dlqTopic(), d.deadLetter())));
            deadLetters.merge(d.deadLetter().reason(), 1, Integer::sum);
          }
        }
      }
      producer.sendOffsetsToTransaction(nextOffsets(batch), consumer.groupMetadata());
      if (CrashPoint.IN_KAFKA_TRANSACTION.armed() || CrashPoint.IN_KAFKA_TRANSACTION_NEXT_STORED.armed()) {
        // The halt must leave the transaction's records in the logs, not in the producer's buffer.
        producer.flush();
        CrashPoint.IN_KAFKA_TRANSACTION.reached();
        boolean next = false;
        for (Lane lane : lanes) {
          if (lane.inFlight != null) {
            awaitQuietly(lane.inFlight.result());
            next = true;
          }
        }
        if (next) CrashPoint.IN_KAFKA_TRANSACTION_NEXT_STORED.reached();
      }
      if (!commit()) return;
      long kafkaNanos = System.nanoTime() - start;
      batchesCommitted.add(stored.size());
      eventsPublished.add(events);
      eventsInserted.add(inserted);
      eventsDuplicated.add(events - inserted);
      deadLetters.forEach((reason, count) -> {
        deadLettersPublished.add(count);
        deadLettersByReason.get(reason).add(count);
      });
      for (Publication publication : publications) {
        if (!refusedByKafka.isEmpty()) refusedByKafka.remove(coordinates(publication.delivery()));
      }
      for (Stored each : stored) observer.committed(each.batch().size(), each.databaseNanos(), kafkaNanos);
    } catch (KafkaException e) {
      switch (KafkaFailures.classify(e)) {
        case FENCED -> throw new IllegalStateException("writer " + settings.transactionalId()
            + " was fenced by a newer producer with its transactional id (another instance with the same "
            + "writer.instance.id took over); stopping: a fenced writer is a zombie and must not fence its successor", e);
        case FATAL -> throw new IllegalStateException("writer " + settings.transactionalId()
            + ": Kafka refused the transaction for good (" + e + "); check the ACLs of the transactional id and the "
            + "topics " + settings.committedTopic() + " and " + settings.dlqTopic(), e);
        case ABORTABLE -> {
          LOG.warn("writer {}: Kafka transaction failed ({}); aborting and rewinding to committed offsets",
              settings.transactionalId(), e.toString());
          kafkaAborts.increment();
          try {
            producer.abortTransaction();
          } catch (KafkaException abortFailure) {
            if (KafkaFailures.classify(abortFailure) == KafkaFailures.Kind.FENCED) {
              throw new IllegalStateException("writer " + settings.transactionalId()
                  + " was fenced by a newer producer with its transactional id; stopping", abortFailure);
            }
            restartProducer();
          }
          rememberRefusals(sends);
          rewindToCommitted();
        }
      }
    }
  }

  /**
   * Commits the Kafka transaction. A commit that timed out (a broker failover) may still land, and
   * Kafka allows only the same call again, never an abort: it is repeated until it answers.
   *
   * @return false when the writer is closing before the commit answered (the transaction then lands
   *     or is aborted by a successor's {@code initTransactions} or the transaction timeout)
   */
  private boolean commit() {
    while (true) {
      try {
        producer.commitTransaction();
        return true;
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        if (!running) return false;
        commitRetries.increment();
        LOG.warn("writer {}: committing the Kafka transaction timed out ({}); committing it again",
            settings.transactionalId(), e.getMessage());
      }
    }
  }

  /** Dead-letters the deliveries whose committed record Kafka refused before, instead of sending it again. */
  private List<Publication> withRefusals(List<Publication> publications) {
    if (refusedByKafka.isEmpty()) return publications;
    List<Publication> replaced = new ArrayList<>(publications.size());
    for (Publication publication : publications) {
      DeadLetter refusal = publication instanceof Publication.Committed
          ? refusedByKafka.get(coordinates(publication.delivery())) : null;
      replaced.add(refusal == null ? publication : new Publication.DeadLettered(publication.delivery(), refusal));
    }
    return replaced;
  }

  /** One record sent in a Kafka transaction: what it publishes, its size, and the broker's answer. */
  record Sent(Publication publication, long bytes, Future<RecordMetadata> answer) {}

  private Sent send(Publication publication, ProducerRecord<byte[], byte[]> record) {
    long bytes = (record.key() == null ? 0 : record.key().length) + (record.value() == null ? 0 : record.value().length);
    return new Sent(publication, bytes, producer.send(record));
  }

  /**
   * After an abort: a committed record that Kafka refused as such (too large) is dead-lettered when
   * its batch comes again; a dead letter refused alike cannot go anywhere, and the writer stops.
   */
  private void rememberRefusals(List<Sent> sends) {
    for (Sent send : refused(sends)) {
      Throwable refusal = refusal(send.answer());
      Delivery delivery = send.publication().delivery();
      if (send.publication() instanceof Publication.DeadLettered) {
        throw new IllegalStateException("writer " + settings.transactionalId() + ": the dead letter of "
            + coordinates(delivery) + " was refused by " + settings.dlqTopic() + " (" + refusal
            + "); the DLQ topic (max.message.bytes) and the producer (max.request.size) must take records at "
            + "least 8 KiB larger than the actions topic", refusal);
      }
      LOG.warn("writer {}: {} refused the committed record of {} ({}); it is stored but will be dead-lettered as {}",
          settings.transactionalId(), settings.committedTopic(), coordinates(delivery), refusal.toString(),
          DeadLetter.Reason.REJECTED_BY_KAFKA.wire());
      refusedByKafka.put(coordinates(delivery), new DeadLetter(delivery, DeadLetter.Reason.REJECTED_BY_KAFKA,
          refusal.getClass().getName(), "stored in the database, but " + settings.committedTopic()
          + " refused its committed record: " + refusal.getMessage(), null));
    }
  }

  /**
   * The records Kafka refused for good: of those whose send failed as too large, the largest. Once a batch
   * is refused the transaction is to be aborted, and the producer fails every batch it has not sent yet
   * with that same error, small records included; the largest failed record is at least as large as the
   * one refused, so it cannot fit either. A second too-large record of the batch is found when it comes
   * again.
   */
  static List<Sent> refused(List<Sent> sends) {
    long largest = -1;
    for (Sent send : sends) {
      if (refusal(send.answer()) != null) largest = Math.max(largest, send.bytes());
    }
    List<Sent> refused = new ArrayList<>();
    for (Sent send : sends) {
      if (send.bytes() == largest && refusal(send.answer()) != null) refused.add(send);
    }
    return refused;
  }

  /** The error that refused one record as too large, or null (sent, aborted with the rest, or not done). */
  private static Throwable refusal(Future<RecordMetadata> send) {
    if (!send.isDone()) return null;
    try {
      send.get();
      return null;
    } catch (ExecutionException e) {
      return KafkaFailures.refusesRecord(e.getCause()) ? e.getCause() : null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * True when the stored event came from this very delivery (its first storing), false for a duplicate:
   * the same answer when the batch is replayed after an abort and its insert is read back.
   */
  private static boolean storedFrom(Publication.Committed committed) {
    Delivery delivery = committed.delivery();
    var stored = committed.stored().stored();
    return stored.partition() == delivery.partition() && stored.offset() == delivery.offset();
  }

  private static String coordinates(Delivery delivery) {
    return delivery.topic() + "-" + delivery.partition() + "@" + delivery.offset();
  }

  private void unavailable(Lane lane, BatchProcessor.Prepared batch, StoreException e) {
    if (!unavailable) {
      unavailable = true;
      unavailableSinceNanos = System.nanoTime();
      unavailableEpisodes.increment();
      nextBackoff = settings.unavailableBackoff();
      state.compareAndSet(State.RUNNING, State.UNAVAILABLE);
      applyPause();
      LOG.warn("writer {}: database unavailable, partitions paused, offsets kept: {}",
          settings.transactionalId(), e.getMessage());
    } else {
      LOG.debug("writer {}: database still unavailable: {}", settings.transactionalId(), e.getMessage());
    }
    lane.pending = batch;
    long jittered = (long) (nextBackoff.toNanos() * (0.5 + ThreadLocalRandom.current().nextDouble()));
    retryAtNanos = System.nanoTime() + jittered;
    Duration doubled = nextBackoff.multipliedBy(2);
    nextBackoff = doubled.compareTo(settings.unavailableBackoffMax()) > 0 ? settings.unavailableBackoffMax() : doubled;
  }

  private void available() {
    unavailable = false;
    applyPause();
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
    epoch++;
    for (Lane lane : lanes) {
      lane.builder.clear();
      lane.backlog.clear();
      lane.pending = null;
      lane.next = null;
    }
  }

  /** The group's committed offsets; a wake-up meant for a poll is not a reason to fail. */
  private Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions) {
    while (true) {
      try {
        return consumer.committed(partitions);
      } catch (WakeupException e) {
        if (!running) throw e;
      }
    }
  }

  private static void awaitQuietly(Future<?> result) {
    try {
      result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException ignored) {
      // the loop sees the failure when it takes the result
    }
  }

  private void seekToCommitted(Collection<TopicPartition> partitions) {
    if (partitions.isEmpty()) return;
    Map<TopicPartition, OffsetAndMetadata> committed = committed(new HashSet<>(partitions));
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
      List<TopicPartition> pause = new ArrayList<>();
      for (TopicPartition partition : partitions) {
        if (lanes[partition.partition() % lanes.length].paused) pause.add(partition);
      }
      if (!pause.isEmpty()) consumer.pause(pause);
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
    if (database != null) {
      // A database transaction still running finishes (its batch is read back when redelivered).
      database.shutdown();
      try {
        database.awaitTermination(settings.transactionTimeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
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
    return common(settings);
  }

  private static Properties common(WriterSettings settings) {
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
    return producerProperties(settings);
  }

  /** The transactional producer's properties: the operator's client properties, then the writer's own. */
  static Properties producerProperties(WriterSettings settings) {
    Properties properties = common(settings);
    // A transaction begun as the previous one commits meets the coordinator still completing that one
    // (CONCURRENT_TRANSACTIONS); the producer retries after retry.backoff.ms, at most 20 ms for the first
    // partition. Every batch begins so, and the wait stood twice in an event's path: at 1,000 events/s a
    // Kafka transaction took 30 ms, 13-15 ms with 5 ms (bench/results/2026-11-27-latency-2c.md). Retries
    // back off exponentially from it (retry.backoff.max.ms), so an outage is not asked more often.
    properties.putIfAbsent(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, Long.toString(RETRY_BACKOFF_MS));
    properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.transactionalId());
    properties.put(ProducerConfig.CLIENT_ID_CONFIG, settings.transactionalId() + "-producer");
    properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    properties.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(settings.transactionTimeout().toMillis()));
    properties.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
    properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return properties;
  }
}
