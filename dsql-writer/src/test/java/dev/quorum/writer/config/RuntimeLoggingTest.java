package dev.quorum.writer.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URL;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.xml.XmlConfiguration;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RuntimeLoggingTest {

  @Test
  void the_runtime_logging_never_lets_the_sdk_print_signed_tokens() throws Exception {
    // Given the writer's runtime log4j2.xml (what a deployment of the writer's jar logs with)
    URL url = WriterMain.class.getResource("/log4j2.xml");
    assertThat(url).isNotNull();
    XmlConfiguration configuration;
    try (InputStream in = url.openStream()) {
      configuration = new XmlConfiguration(new LoggerContext("runtime-logging-test"), new ConfigurationSource(in, url));
    }
    configuration.initialize();

    // When the AWS SDK's URI parser logs, Then TRACE and DEBUG (where it prints tokens) are off, by a
    // logger of its own that stays at INFO when the root is turned down for troubleshooting
    assertThat(configuration.getLoggers()).containsKey("software.amazon.awssdk.utils.uri");
    Level level = configuration.getLoggerConfig("software.amazon.awssdk.utils.uri.SdkUri").getLevel();
    assertThat(level.isMoreSpecificThan(Level.INFO)).as("level of SdkUri: %s", level).isTrue();
  }
}
