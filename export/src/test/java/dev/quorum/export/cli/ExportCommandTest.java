package dev.quorum.export.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.store.config.DatabaseKeys;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ExportCommandTest {

  @Test
  void an_as_of_that_is_not_rfc_3339_is_refused_naming_the_option(@TempDir Path dir) {
    ExportCommandAccess.Run run = ExportCommandAccess.run("--out", dir.toString(), "--as-of", "yesterday");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).contains("--as-of", "not an RFC 3339 instant");
  }

  @Test
  void an_unknown_axis_is_refused(@TempDir Path dir) {
    ExportCommandAccess.Run run = ExportCommandAccess.run("--out", dir.toString(), "--axis", "ingested");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).contains("--axis", "RECORDED", "OCCURRED");
  }

  @Test
  void without_a_configured_or_local_database_it_says_how_to_name_one_and_writes_nothing(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    ExportCommandAccess.Run run = ExportCommandAccess.run("--out", out.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).contains("no database", "--db-url", "quorum up");
    assertThat(out).doesNotExist();
  }

  @Test
  void a_password_in_dsql_mode_is_refused_there_are_only_iam_tokens(@TempDir Path dir) {
    ExportCommandAccess.Run run = ExportCommandAccess.run("--out", dir.toString(), "-D", "db.dialect=dsql",
        "-D", "db.dsql.endpoints=abc.dsql.eu-west-1.on.aws", "-D", "db.dsql.region=eu-west-1", "-D", "db.password=secret");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).contains(DatabaseKeys.PASSWORD.name() + " must not be set in dsql mode").doesNotContain("secret");
  }

  @Test
  void the_manifest_names_a_postgresql_database_without_its_query_parameters() {
    var settings = DatabaseKeys.from(dev.quorum.kit.config.Settings.parse(DatabaseKeys.CONNECTION, java.util.List.of(),
        java.util.List.of(), java.util.Map.of("db.url", "jdbc:postgresql://db:5432/quorum?password=hunter2&ssl=true")));
    assertThat(ExportCommand.describe(settings)).isEqualTo("jdbc:postgresql://db:5432/quorum");
  }
}
