package dev.quorum.store.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.quorum.stack.PostgresDatabase;
import dev.quorum.stack.junit.WithPostgres;
import dev.quorum.store.config.DsqlSettings;
import dev.quorum.store.jdbc.AuthTokens;
import dev.quorum.store.jdbc.DataSources;
import dev.quorum.store.jdbc.DsqlAuthTokens;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * DSQL-mode connections keep their credentials to themselves: real signed tokens never reach a log,
 * and production settings never connect without TLS.
 */
@WithPostgres
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DsqlCredentialsIT {
  private static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  // The AWS SDK's URI parser prints every URI it parses at TRACE, a signed token included: a
  // deployment's logging must keep it at DEBUG or below, as here.
  private static final Map<String, Level> SDK_URI_PARSER_AT_DEBUG =
      Map.of("software.amazon.awssdk.utils.uri.SdkUri", Level.DEBUG);

  private final PostgresDatabase database;
  private final List<String> minted = Collections.synchronizedList(new ArrayList<>());
  // Signing is local: the fake credentials never leave the process. The test server trusts loopback,
  // so it accepts the connection whatever the token.
  private final DsqlAuthTokens signer = new DsqlAuthTokens(
      StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", SECRET_KEY)), Region.US_EAST_1,
      Duration.ofMinutes(15));
  private final AuthTokens recording = (host, user) -> {
    String token = signer.token(host, user);
    minted.add(token);
    return token;
  };

  DsqlCredentialsIT(PostgresDatabase database) {
    this.database = database;
  }

  @ParameterizedTest
  @CsvSource({"admin, Action=DbConnectAdmin&", "quorum_app, Action=DbConnect&"})
  void tokens_minted_for_new_connections_never_reach_the_logs(String role, String action) throws SQLException {
    // Given a role on the server and a DSQL-mode pool whose first endpoint refuses, so that the failover is logged too
    try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("DO $$ BEGIN CREATE ROLE " + role + " LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
    }
    String refusing = TestEndpoints.refusing();
    var settings = TestEndpoints.dsqlOverPlainPostgres(List.of(refusing, TestEndpoints.endpoint(database)),
        TestEndpoints.databaseName(database), role, 2);

    String logs;
    try (CapturedLogs captured = CapturedLogs.start(SDK_URI_PARSER_AT_DEBUG)) {
      // When it opens its connections, every other logger at every level
      try (HikariDataSource pool = DataSources.pooled(settings, "credentials-it", recording);
           Connection a = pool.getConnection();
           Connection b = pool.getConnection()) {
        assertThat(a.isValid(2) && b.isValid(2)).isTrue();
      }
      logs = captured.text();
    }

    // Then tokens were minted and the logs tell the story, yet no token and no signature is in them
    assertThat(minted).isNotEmpty().allSatisfy(token -> assertThat(token).contains(action, "X-Amz-Signature="));
    assertThat(logs).contains(refusing, "credentials-it");
    for (String token : minted) {
      assertThat(logs).doesNotContain(token, signature(token));
    }
    assertThat(logs).doesNotContain(SECRET_KEY);
  }

  @Test
  void production_settings_never_connect_without_tls() {
    // Given the settings a DSQL deployment gets by default (verify-full, TLS from the first byte) over a server without TLS
    DsqlSettings production = DsqlSettings.of(List.of(TestEndpoints.endpoint(database)), "us-east-1");
    assertThat(production.sslMode()).isEqualTo("verify-full");

    // When a connection is asked for, Then none is opened in plain text
    assertThatThrownBy(() -> DataSources.failover(production, database.username(), recording, 2).getConnection())
        .isInstanceOfSatisfying(SQLTransientConnectionException.class,
            e -> assertThat(e.getSQLState()).isEqualTo("08001"))
        .hasStackTraceContaining("SSL");
  }

  private static String signature(String token) {
    String marker = "X-Amz-Signature=";
    String rest = token.substring(token.indexOf(marker) + marker.length());
    int end = rest.indexOf('&');
    return end < 0 ? rest : rest.substring(0, end);
  }
}
