package dev.quorum.writer.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaFailuresTest {

  /** How the producer reports a send that failed inside a transaction. */
  private static KafkaException inErrorState(Throwable cause) {
    return new KafkaException("Cannot execute transactional method because we are in an error state", cause);
  }

  @Test
  void a_newer_producer_with_our_transactional_id_fences_us_wherever_it_is_in_the_chain() {
    assertThat(KafkaFailures.classify(new ProducerFencedException("fenced"))).isEqualTo(KafkaFailures.Kind.FENCED);
    assertThat(KafkaFailures.classify(inErrorState(new ProducerFencedException("fenced"))))
        .isEqualTo(KafkaFailures.Kind.FENCED);
  }

  @Test
  void an_epoch_bump_of_our_own_and_a_timeout_are_aborted_and_replayed() {
    assertThat(KafkaFailures.classify(inErrorState(new InvalidProducerEpochException("bumped"))))
        .isEqualTo(KafkaFailures.Kind.ABORTABLE);
    assertThat(KafkaFailures.classify(new TimeoutException("slow"))).isEqualTo(KafkaFailures.Kind.ABORTABLE);
  }

  @Test
  void a_refused_authorization_stops_the_writer() {
    assertThat(KafkaFailures.classify(inErrorState(new TopicAuthorizationException("quorum.events.committed.v1"))))
        .isEqualTo(KafkaFailures.Kind.FATAL);
    assertThat(KafkaFailures.classify(new TransactionalIdAuthorizationException("quorum-dsql-writer-0")))
        .isEqualTo(KafkaFailures.Kind.FATAL);
  }

  @Test
  void a_record_too_large_is_aborted_and_its_record_refused_for_good() {
    RecordTooLargeException tooLarge = new RecordTooLargeException("too large");

    assertThat(KafkaFailures.classify(inErrorState(tooLarge))).isEqualTo(KafkaFailures.Kind.ABORTABLE);
    assertThat(KafkaFailures.refusesRecord(tooLarge)).isTrue();
    assertThat(KafkaFailures.refusesRecord(new KafkaException("Failing batch since transaction was aborted"))).isFalse();
  }
}
