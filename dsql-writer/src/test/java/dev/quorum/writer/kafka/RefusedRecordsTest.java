package dev.quorum.writer.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TransactionAbortedException;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** Which records of an aborted Kafka transaction Kafka refused for good. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RefusedRecordsTest {

  @Test
  void of_the_records_failed_as_too_large_only_the_largest_was_refused_the_others_got_the_error_passed_on() {
    // Given: the broker refused a 6 KiB record's batch, and the producer failed the batches it had not sent
    // yet with that same error (small records too); one small record was sent before and one was aborted
    RecordTooLargeException tooLarge = new RecordTooLargeException("The request included a message larger than the max");
    KafkaWriter.Sent sentBefore = sent(400, null);
    KafkaWriter.Sent big = sent(6_400, tooLarge);
    KafkaWriter.Sent smallAfter = sent(410, tooLarge);
    KafkaWriter.Sent smallLater = sent(390, tooLarge);
    KafkaWriter.Sent aborted = sent(420, new TransactionAbortedException());

    // When the refusals are picked, Then only the large record is one
    assertThat(KafkaWriter.refused(List.of(sentBefore, big, smallAfter, smallLater, aborted))).containsExactly(big);
  }

  @Test
  void two_records_of_the_largest_size_are_both_refused_and_none_when_nothing_was_too_large() {
    RecordTooLargeException tooLarge = new RecordTooLargeException("too large");
    KafkaWriter.Sent first = sent(9_000, tooLarge);
    KafkaWriter.Sent second = sent(9_000, tooLarge);
    KafkaWriter.Sent small = sent(500, tooLarge);

    assertThat(KafkaWriter.refused(List.of(first, small, second))).containsExactly(first, second);
    assertThat(KafkaWriter.refused(List.of(sent(500, new TransactionAbortedException()), sent(600, null)))).isEmpty();
  }

  private static KafkaWriter.Sent sent(long bytes, RuntimeException failure) {
    CompletableFuture<RecordMetadata> answer = new CompletableFuture<>();
    if (failure == null) answer.complete(null);
    else answer.completeExceptionally(failure);
    return new KafkaWriter.Sent(null, bytes, answer);
  }
}
