package dev.quorum.writer.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WriterMainTest {

  @Test
  void an_invalid_configuration_file_exits_with_code_2_before_connecting_anywhere(@TempDir Path dir) throws Exception {
    // Given a file that names the servers but sets a batch bound DSQL cannot take
    Path file = dir.resolve("writer.properties");
    Files.writeString(file, """
        kafka.bootstrap.servers=127.0.0.1:1
        db.url=jdbc:postgresql://127.0.0.1:1/quorum
        writer.batch.max.rows=5000
        """);

    // When the main runs with it, Then it refuses with the configuration exit code
    assertThat(WriterMain.run(new String[] {"--config", file.toString()})).isEqualTo(2);
  }

  @Test
  void a_missing_configuration_file_is_a_configuration_error(@TempDir Path dir) throws Exception {
    assertThat(WriterMain.run(new String[] {"--config=" + dir.resolve("absent.properties")})).isEqualTo(2);
  }
}
