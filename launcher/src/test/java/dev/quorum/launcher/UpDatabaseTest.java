package dev.quorum.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class UpDatabaseTest {

  @Test
  void a_running_up_is_found_by_its_file_and_a_stopped_one_is_not(@TempDir Path dir) throws Exception {
    // Given the file of an up whose process is gone, and this process's own
    Files.writeString(UpDatabase.fileOf(dir, 999_999_999L), "db.url=jdbc:postgresql://127.0.0.1:1/gone\n");
    AutoCloseable announced = UpDatabase.announce(dir, "jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "pw");

    // Then only the running one is found, with its db.* settings, readable by its owner alone
    assertThat(UpDatabase.find(dir)).contains(Map.of(
        "db.url", "jdbc:postgresql://127.0.0.1:5432/postgres", "db.username", "postgres", "db.password", "pw"));
    Path file = UpDatabase.fileOf(dir, ProcessHandle.current().pid());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

    // And once up stops, its file is gone and nothing is found
    announced.close();
    assertThat(file).doesNotExist();
    assertThat(UpDatabase.find(dir)).isEmpty();
  }
}
