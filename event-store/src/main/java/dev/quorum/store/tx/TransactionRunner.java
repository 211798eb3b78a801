package dev.quorum.store.tx;

import com.zaxxer.hikari.HikariDataSource;
import dev.quorum.store.StoreException;
import dev.quorum.store.jdbc.Dialect;
import io.github.resilience4j.retry.Retry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs units of work in REPEATABLE READ transactions (DSQL's snapshot isolation), each capped in
 * time and retried whole, with backoff, when {@link RetryClassification} says the error is
 * retryable.
 *
 * <p>An error aborts the whole transaction (DSQL has no SAVEPOINT), so a failed attempt has written
 * nothing and the next attempt starts from scratch on a fresh connection.
 */
public final class TransactionRunner {
  private static final Logger LOG = LoggerFactory.getLogger(TransactionRunner.class);
  private static final Executor DIRECT = Runnable::run;
  /** How a Hikari pool names the level it sets once on each new connection. */
  public static final String REPEATABLE_READ = "TRANSACTION_REPEATABLE_READ";

  /** A unit of work inside one transaction; it may run several times. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /** Counters since start: transactions asked for, attempts made, retries, and failures by kind. */
  public record Stats(long transactions, long attempts, long retries, long exhausted, long recordErrors, long fatal) {}

  private final DataSource dataSource;
  private final RetryPolicy policy;
  private final Duration timeCap;
  private final boolean asksForRepeatableRead;
  private final boolean isolationPerConnection;
  private final LongAdder transactions = new LongAdder();
  private final LongAdder attempts = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private final LongAdder exhausted = new LongAdder();
  private final LongAdder recordErrors = new LongAdder();
  private final LongAdder fatal = new LongAdder();
  private final List<Consumer<Throwable>> retryListeners = new CopyOnWriteArrayList<>();

  /**
   * @param timeCap the longest a transaction may take from its first statement to its commit; it
   *     bounds when a RECORDED as-of answer is settled, and must stay well under DSQL's 5 minutes
   */
  public TransactionRunner(DataSource dataSource, RetryPolicy policy, Duration timeCap) {
    this(dataSource, policy, timeCap, Dialect.POSTGRESQL);
  }

  /**
   * A runner for a given database: on PostgreSQL every transaction asks for REPEATABLE READ; on DSQL,
   * whose only level is snapshot isolation, none does.
   */
  public TransactionRunner(DataSource dataSource, RetryPolicy policy, Duration timeCap, Dialect dialect) {
    this.asksForRepeatableRead = dialect.asksForRepeatableRead();
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    // A pool that opens every connection at REPEATABLE READ spares a statement per transaction.
    this.isolationPerConnection = dataSource instanceof HikariDataSource pool
        && REPEATABLE_READ.equals(pool.getTransactionIsolation());
    this.policy = Objects.requireNonNull(policy, "policy");
    this.timeCap = Objects.requireNonNull(timeCap, "timeCap");
    if (timeCap.isNegative() || timeCap.isZero() || timeCap.compareTo(Duration.ofMinutes(4)) > 0) {
      throw new IllegalArgumentException("timeCap must be in (0, 4 min] to stay under DSQL's 5 minutes: " + timeCap);
    }
  }

  public RetryPolicy policy() {
    return policy;
  }

  public Duration timeCap() {
    return timeCap;
  }

  /** Runs {@code work} in a read-write transaction with the configured retry policy. */
  public <T> T write(String what, Work<T> work) {
    return run(what, false, policy, work);
  }

  /** Runs {@code work} in a read-only transaction with the configured retry policy. */
  public <T> T read(String what, Work<T> work) {
    return run(what, true, policy, work);
  }

  /** Runs {@code work} with another retry policy, e.g. a more patient one for a migration. */
  public <T> T write(String what, RetryPolicy retryPolicy, Work<T> work) {
    return run(what, false, retryPolicy, work);
  }

  /** Tells {@code listener} the error of every attempt that is retried (for metrics by SQLSTATE and DSQL code). */
  public void addRetryListener(Consumer<Throwable> listener) {
    retryListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  public Stats stats() {
    return new Stats(transactions.sum(), attempts.sum(), retries.sum(), exhausted.sum(), recordErrors.sum(), fatal.sum());
  }

  private <T> T run(String what, boolean readOnly, RetryPolicy retryPolicy, Work<T> work) {
    transactions.increment();
    Retry retry = retryPolicy.toRetry(what);
    int[] attempt = {0};
    retry.getEventPublisher().onRetry(event -> {
      retries.increment();
      for (Consumer<Throwable> listener : retryListeners) listener.accept(event.getLastThrowable());
      LOG.debug("{}: attempt {} failed ({}), retrying in {}", what, event.getNumberOfRetryAttempts(),
          event.getLastThrowable(), event.getWaitInterval());
    });
    try {
      return retry.executeCheckedSupplier(() -> {
        attempt[0]++;
        attempts.increment();
        return once(what, readOnly, work);
      });
    } catch (Throwable error) {
      ErrorKind kind = RetryClassification.classify(error);
      switch (kind) {
        case RETRYABLE -> exhausted.increment();
        case RECORD -> recordErrors.increment();
        case FATAL -> fatal.increment();
      }
      if (error instanceof Error fatalError) throw fatalError;
      String sqlState = RetryClassification.sqlState(error);
      String message = what + " failed" + (kind == ErrorKind.RETRYABLE ? " after " + attempt[0] + " attempt(s)" : "")
          + " [" + kind + (sqlState == null ? "" : ", SQLSTATE " + sqlState) + "]: " + error.getMessage();
      throw new StoreException(message, error, kind, sqlState, attempt[0]);
    }
  }

  private <T> T once(String what, boolean readOnly, Work<T> work) throws SQLException {
    long start = System.nanoTime();
    try (Connection connection = dataSource.getConnection()) {
      int capMillis = (int) Math.min(Integer.MAX_VALUE, timeCap.toMillis());
      connection.setNetworkTimeout(DIRECT, capMillis);
      connection.setAutoCommit(false);
      if (asksForRepeatableRead && !isolationPerConnection) {
        connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      }
      connection.setReadOnly(readOnly);
      try {
        T result = work.run(connection);
        long remaining = capMillis - (System.nanoTime() - start) / 1_000_000;
        if (remaining <= 0) {
          throw new RetryableStoreException(what + " outlived the transaction time cap of " + timeCap);
        }
        // A commit that cannot finish within the cap loses its connection rather than stretch the bound.
        connection.setNetworkTimeout(DIRECT, (int) remaining);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        rollbackQuietly(connection, e);
        throw e;
      } finally {
        restore(connection, readOnly);
      }
    }
  }

  private static void rollbackQuietly(Connection connection, Throwable cause) {
    try {
      if (!connection.isClosed()) connection.rollback();
    } catch (SQLException rollbackError) {
      cause.addSuppressed(rollbackError);
    }
  }

  private static void restore(Connection connection, boolean readOnly) {
    try {
      if (!connection.isClosed()) {
        if (readOnly) connection.setReadOnly(false);
        connection.setAutoCommit(true);
        connection.setNetworkTimeout(DIRECT, 0);
      }
    } catch (SQLException ignored) {
      // The connection is broken; closing it hands the pool a connection it will evict.
    }
  }
}
