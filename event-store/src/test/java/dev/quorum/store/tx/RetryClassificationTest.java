package dev.quorum.store.tx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.net.SocketException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RetryClassificationTest {

  @ParameterizedTest(name = "SQLSTATE {0} is {1}")
  @CsvSource({
      "40001, RETRYABLE", "40P01, RETRYABLE", "23505, RETRYABLE", "08006, RETRYABLE", "08001, RETRYABLE",
      "57014, RETRYABLE", "57P01, RETRYABLE",
      "22021, RECORD", "22P05, RECORD", "22001, RECORD", "23502, RECORD", "23514, RECORD", "54000, RECORD",
      "42P01, FATAL", "42601, FATAL", "28P01, FATAL", "XX000, FATAL"})
  void classifies_by_sqlstate(String state, ErrorKind expected) {
    // Given a server error with that SQLSTATE, When classified, Then
    assertThat(RetryClassification.classify(new SQLException("boom", state))).isEqualTo(expected);
  }

  @Test
  void a_dsql_conflict_is_retried_even_when_the_sqlstate_was_lost_on_the_way() {
    SQLException conflict = new SQLException(
        "ERROR: mutation conflicts with another transaction, retry as needed (OC000)");
    SQLException schema = new SQLException(
        "ERROR: schema has been updated by another transaction, please retry: (OC001)", "XX000");

    assertThat(RetryClassification.classify(conflict)).isEqualTo(ErrorKind.RETRYABLE);
    assertThat(RetryClassification.classify(schema)).isEqualTo(ErrorKind.RETRYABLE);
  }

  @Test
  void the_dsql_conflict_code_is_read_from_the_message_anywhere_in_the_chain() {
    SQLException conflict = new SQLException("ERROR: mutation conflicts with another transaction, retry as needed (OC000)",
        "40001");
    SQLException schema = new SQLException("ERROR: schema has been updated by another transaction, please retry: (OC001)",
        "40001");

    assertThat(RetryClassification.conflictCode(new RuntimeException("committing", conflict))).isEqualTo("OC000");
    assertThat(RetryClassification.conflictCode(schema)).isEqualTo("OC001");
    assertThat(RetryClassification.conflictCode(new SQLException("could not serialize access", "40001"))).isNull();
  }

  @Test
  void a_lost_connection_deep_in_the_cause_chain_is_retried() {
    // Given a driver error without SQLSTATE whose cause is a socket error
    SQLException wrapped = new SQLException("An I/O error occurred", null, new SocketException("Connection reset"));
    RuntimeException outer = new RuntimeException("appending", wrapped);

    assertThat(RetryClassification.classify(outer)).isEqualTo(ErrorKind.RETRYABLE);
    assertThat(RetryClassification.classify(new EOFException())).isEqualTo(ErrorKind.RETRYABLE);
    assertThat(RetryClassification.classify(new SQLTransientConnectionException("pool timeout"))).isEqualTo(ErrorKind.RETRYABLE);
  }

  @Test
  void a_chained_next_exception_is_looked_at_too() {
    SQLException batch = new SQLException("batch entry 0 was aborted", "XX000");
    batch.setNextException(new SQLException("could not serialize access", "40001"));

    assertThat(RetryClassification.classify(batch)).isEqualTo(ErrorKind.RETRYABLE);
    assertThat(RetryClassification.sqlState(batch)).isEqualTo("XX000");
  }

  @Test
  void a_retryable_cause_wins_over_a_record_error_around_it() {
    SQLException record = new SQLException("invalid byte sequence", "22021", new SQLException("conflict", "40001"));

    assertThat(RetryClassification.classify(record)).isEqualTo(ErrorKind.RETRYABLE);
  }

  @Test
  void the_stores_own_retryable_conditions_and_plain_bugs_are_told_apart() {
    assertThat(RetryClassification.classify(new RetryableStoreException("ids missing"))).isEqualTo(ErrorKind.RETRYABLE);
    assertThat(RetryClassification.classify(new IllegalStateException("bug"))).isEqualTo(ErrorKind.FATAL);
    assertThat(RetryClassification.sqlState(new IllegalStateException("bug"))).isNull();
  }

  @ParameterizedTest(name = "a pooled connection refused with SQLSTATE {0} is {1}")
  @CsvSource({"28P01, FATAL", "28000, FATAL", "3D000, FATAL", "08001, RETRYABLE", "08006, RETRYABLE"})
  void a_refusal_wrapped_by_the_pool_is_read_by_its_sqlstate(String state, ErrorKind expected) {
    // Given the pool's timeout error around the driver's last connection failure
    SQLException driver = new SQLException("connection failed", state);
    SQLTransientConnectionException pool =
        new SQLTransientConnectionException("pool - Connection is not available, request timed out", state, driver);

    assertThat(RetryClassification.classify(pool)).isEqualTo(expected);
  }

  @Test
  void a_failed_tls_handshake_is_fatal_even_inside_a_connection_error() {
    SQLException driver = new SQLException("SSL error", "08006",
        new javax.net.ssl.SSLHandshakeException("PKIX path building failed"));

    assertThat(RetryClassification.classify(new SQLTransientConnectionException("pool", "08006", driver)))
        .isEqualTo(ErrorKind.FATAL);
  }
}
