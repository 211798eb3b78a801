package dev.quorum.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The packaged jar the image runs: the services, and none of the developer's and tests' tooling. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ServicesJarIT {
  private static final Path JAR = Path.of("target/quorum-services.jar");
  /** What local-stack and the tests bring: a broker, Scala, embedded PostgreSQL, Testcontainers, JUnit. */
  private static final List<String> TOOLING = List.of("dev/quorum/stack/", "dev/quorum/launcher/", "kafka/server/", "scala/",
      "kafka/log/", "org/apache/kafka/raft/", "io/zonky/", "org/testcontainers/", "org/junit/", "org/assertj/");

  @Test
  void the_services_jar_runs_every_service_and_carries_no_broker_database_or_test_library() throws IOException {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      List<String> names = jar.stream().map(e -> e.getName()).toList();

      assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo(QuorumServices.class.getName());
      assertThat(names).contains("dev/quorum/ingest/config/GatewayMain.class", "dev/quorum/writer/config/WriterMain.class",
          "dev/quorum/projection/cli/ProjectionCli.class", "log4j2.xml");
      assertThat(names).filteredOn(n -> TOOLING.stream().anyMatch(n::startsWith)).as("tooling in the image").isEmpty();
      assertThat(names).filteredOn(n -> n.endsWith(".txz")).as("PostgreSQL binaries").isEmpty();
    }
    assertThat(Files.size(JAR)).as("bytes").isLessThan(150L * 1024 * 1024);
  }
}
