package dev.quorum.writer.kafka;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fault-injection seam for crash tests: halts the JVM at a fixed point of the batch protocol, armed
 * only by the system property {@value #PROPERTY} (never by the writer's configuration).
 *
 * <p>A crash "somewhere mid-batch" proves nothing; a halt at a fixed point does. {@code Runtime.halt}
 * runs no shutdown hook and closes no client, exactly like a killed process: the producer's open
 * transaction stays open and the consumer's offsets stay where the last Kafka commit put them.
 * {@value #AFTER_BATCHES_PROPERTY}{@code =N} lets the first N batches commit before the armed point fires.
 */
public enum CrashPoint {
  /** After the database transaction committed, before anything of the batch is sent to Kafka. */
  AFTER_DB_COMMIT,
  /** Inside the Kafka transaction: the batch's records and offsets sent and flushed, the commit not asked for. */
  IN_KAFKA_TRANSACTION,
  /**
   * Inside the Kafka transaction as above, once the next batch's database transaction (which overlaps
   * it) has committed too: two batches stored, neither published.
   */
  IN_KAFKA_TRANSACTION_NEXT_STORED;

  public static final String PROPERTY = "quorum.writer.crash-point";
  public static final String AFTER_BATCHES_PROPERTY = "quorum.writer.crash-after-batches";
  /** The exit status of a halt at a crash point, so a test can tell it from any other exit. */
  public static final int HALT_STATUS = 86;

  private static final CrashPoint ARMED = parse(System.getProperty(PROPERTY));
  private static final AtomicInteger REMAINING_BATCHES =
      new AtomicInteger(Integer.parseInt(System.getProperty(AFTER_BATCHES_PROPERTY, "0").trim()));

  /** The property's value for this point, e.g. {@code after-db-commit}. */
  public String value() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Halts the JVM when this point is armed and its batch has come; otherwise returns at once. */
  void reached() {
    if (ARMED != this) return;
    if (REMAINING_BATCHES.getAndDecrement() > 0) return;
    System.err.println("dsql-writer: halting at crash point " + value());
    System.err.flush();
    Runtime.getRuntime().halt(HALT_STATUS);
  }

  /** True when this point is armed: the caller then makes the state it halts in observable (e.g. flushes). */
  boolean armed() {
    return ARMED == this;
  }

  private static CrashPoint parse(String value) {
    if (value == null || value.isBlank()) return null;
    for (CrashPoint point : values()) {
      if (point.value().equals(value.trim())) return point;
    }
    throw new IllegalArgumentException(PROPERTY + " must be one of after-db-commit, in-kafka-transaction,"
        + " in-kafka-transaction-next-stored; was " + value);
  }
}
