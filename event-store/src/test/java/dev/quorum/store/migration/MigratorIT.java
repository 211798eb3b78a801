package dev.quorum.store.migration;

import static dev.quorum.store.testing.Databases.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quorum.stack.PostgresDatabase;
import dev.quorum.stack.dsql.DsqlConflictInjector;
import dev.quorum.stack.junit.WithPostgres;
import dev.quorum.store.StoreException;
import dev.quorum.store.jdbc.Dialect;
import dev.quorum.store.testing.Databases;
import dev.quorum.store.tx.ErrorKind;
import dev.quorum.store.tx.RetryPolicy;
import dev.quorum.store.tx.TransactionRunner;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@WithPostgres
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MigratorIT {
  private static final RetryPolicy PATIENT = new RetryPolicy(12, Duration.ofMillis(1), Duration.ofMillis(20), 2.0, 0.5);

  private final PostgresDatabase database;
  private DsqlConflictInjector injector;

  MigratorIT(PostgresDatabase database) {
    this.database = database;
  }

  @AfterEach
  void uninstall_injector() {
    if (injector != null) injector.uninstall();
  }

  @Test
  void a_fresh_database_gets_every_migration_and_one_history_row_each() {
    // Given an empty schema
    DataSource dataSource = Databases.freshSchema(database);
    Migrator migrator = migrator(dataSource, PATIENT);

    // When migrated
    List<Migration> applied = migrator.migrate();

    // Then every migration ran, in order, and the tables and indexes exist
    assertThat(applied).extracting(Migration::version).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(migrator.appliedVersions()).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(strings(dataSource, "SELECT table_name FROM information_schema.tables"
        + " WHERE table_schema = current_schema() ORDER BY table_name"))
        .containsExactly("incident", "incident_event", "schema_migration");
    assertThat(strings(dataSource, "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"))
        .contains("incident_event_fold_order", "incident_event_recorded", "incident_first_seen", "incident_event_ingested");
  }

  @Test
  void a_rerun_is_a_no_op_that_runs_no_ddl_at_all() {
    // Given a migrated schema, and a DDL hook that counts every DDL transaction
    DataSource dataSource = Databases.freshSchema(database);
    migrator(dataSource, PATIENT).migrate();
    injector = DsqlConflictInjector.installForDdl(dataSource, 0.0, 1);

    // When migrated again
    List<Migration> applied = migrator(dataSource, PATIENT).migrate();

    // Then nothing was applied and no DDL statement ran
    assertThat(applied).isEmpty();
    assertThat(injector.ddlDecisions()).isZero();
  }

  @Test
  void schema_conflicts_during_a_migration_are_retried_until_it_completes() {
    // Given half of all DDL transactions fail at commit with OC001
    DataSource dataSource = Databases.freshSchema(database);
    injector = DsqlConflictInjector.installForDdl(dataSource, 0.5, 42);
    TransactionRunner runner = new TransactionRunner(dataSource, PATIENT, Duration.ofSeconds(30));

    // When migrated
    List<Migration> applied = new Migrator(dataSource, Dialect.POSTGRESQL, runner).migrate();

    // Then every migration is in place, and some DDL needed more than one attempt
    assertThat(applied).hasSize(Schema.MIGRATIONS.size());
    assertThat(injector.ddlDecisions()).isGreaterThan(Schema.MIGRATIONS.size() + 1);
    assertThat(runner.stats().retries()).isPositive();
  }

  @Test
  void a_migration_gives_up_after_the_configured_attempts_and_a_later_run_finishes_the_job() {
    // Given every DDL transaction fails with OC001, and three attempts are allowed
    DataSource dataSource = Databases.freshSchema(database);
    injector = DsqlConflictInjector.installForDdl(dataSource, 1.0, 7);

    // When migrated, Then it gives up saying so
    assertThatThrownBy(() -> migrator(dataSource, PATIENT.withMaxAttempts(3)).migrate())
        .isInstanceOfSatisfying(StoreException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.RETRYABLE);
          assertThat(e.attempts()).isEqualTo(3);
          assertThat(e.sqlState()).isEqualTo("40001");
          assertThat(e).hasMessageContaining("OC001");
        });

    // And once the conflicts stop, a new run applies everything
    injector.setDdlRate(0.0);
    assertThat(migrator(dataSource, PATIENT).migrate()).hasSize(Schema.MIGRATIONS.size());
  }

  @Test
  void the_schema_uses_nothing_dsql_lacks() {
    DataSource dataSource = Databases.freshSchema(database);
    migrator(dataSource, PATIENT).migrate();

    assertThat(strings(dataSource, "SELECT constraint_name FROM information_schema.table_constraints"
        + " WHERE table_schema = current_schema() AND constraint_type = 'FOREIGN KEY'")).isEmpty();
    assertThat(strings(dataSource, "SELECT sequence_name FROM information_schema.sequences"
        + " WHERE sequence_schema = current_schema()")).isEmpty();
    assertThat(strings(dataSource, "SELECT trigger_name FROM information_schema.triggers"
        + " WHERE trigger_schema = current_schema()")).isEmpty();
    assertThat(strings(dataSource, "SELECT column_name FROM information_schema.columns"
        + " WHERE table_schema = current_schema() AND column_default IS NOT NULL")).isEmpty();
  }

  @Test
  void dsql_builds_its_indexes_asynchronously_and_postgresql_plainly() {
    Migration index = Schema.MIGRATIONS.get(2);

    assertThat(index.sql(Dialect.DSQL)).startsWith("CREATE INDEX ASYNC IF NOT EXISTS incident_event_fold_order");
    assertThat(index.isAsyncIndex(Dialect.DSQL)).isTrue();
    assertThat(index.sql(Dialect.POSTGRESQL)).startsWith("CREATE INDEX IF NOT EXISTS incident_event_fold_order");
    assertThat(index.isAsyncIndex(Dialect.POSTGRESQL)).isFalse();
  }

  private static Migrator migrator(DataSource dataSource, RetryPolicy policy) {
    return new Migrator(dataSource, Dialect.POSTGRESQL, new TransactionRunner(dataSource, policy, Duration.ofSeconds(30)));
  }

}
