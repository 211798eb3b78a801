package dev.quorum.ingest.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ChannelBindingsTest {
  private static final UUID INCIDENT = UUID.fromString("8d0c5a3e-1f2b-4c3d-9e8f-0a1b2c3d4e5f");

  @Test
  void bindings_written_to_a_file_are_there_after_a_restart(@TempDir Path dir) {
    // Given a binding made by one gateway process
    Path file = dir.resolve("state/bindings.properties");
    ChannelBindings.persistedIn(file).bind("T1", "C1", INCIDENT);

    // When another process loads the file
    ChannelBindings reloaded = ChannelBindings.persistedIn(file);

    // Then the binding is there, for that workspace's channel only
    assertThat(reloaded.lookup("T1", "C1")).contains(INCIDENT);
    assertThat(reloaded.lookup("T2", "C1")).isEmpty();

    // And an unbind is written through too
    assertThat(reloaded.unbind("T1", "C1")).isTrue();
    assertThat(ChannelBindings.persistedIn(file).lookup("T1", "C1")).isEmpty();
  }

  @Test
  void configured_bindings_of_a_bare_channel_apply_to_every_workspace_until_rebound() {
    ChannelBindings bindings = ChannelBindings.inMemory().withStatic(Map.of("C9", INCIDENT));
    assertThat(bindings.lookup("T7", "C9")).contains(INCIDENT);

    UUID other = UUID.randomUUID();
    bindings.bind("T7", "C9", other);
    assertThat(bindings.lookup("T7", "C9")).contains(other);
    assertThat(bindings.lookup("T8", "C9")).contains(INCIDENT);
  }
}
