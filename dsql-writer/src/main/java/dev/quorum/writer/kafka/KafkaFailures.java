package dev.quorum.writer.kafka;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * The one place that decides what a failed Kafka transaction means for the writer, over the whole
 * cause chain (the producer wraps a send's error in "cannot execute transactional method" errors).
 */
final class KafkaFailures {

  /** What to do about a failed Kafka transaction. */
  enum Kind {
    /**
     * A newer producer took the transactional id: this instance is a zombie and stops. (An epoch bump
     * of our own, {@code InvalidProducerEpochException}, is abortable, not this.)
     */
    FENCED,
    /** Not allowed, or not possible with this broker: no retry changes it; stop with the reason. */
    FATAL,
    /** Abort, rewind to the committed offsets and go again (records Kafka refused are dead-lettered). */
    ABORTABLE
  }

  private KafkaFailures() {}

  static Kind classify(Throwable error) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
      if (t instanceof ProducerFencedException) return Kind.FENCED;
      if (t instanceof AuthorizationException || t instanceof AuthenticationException
          || t instanceof UnsupportedVersionException) {
        return Kind.FATAL;
      }
    }
    return Kind.ABORTABLE;
  }

  /** True when Kafka refused a record as such (too large for the topic or the producer), so it never goes. */
  static boolean refusesRecord(Throwable error) {
    return error instanceof RecordTooLargeException || error instanceof RecordBatchTooLargeException;
  }
}
