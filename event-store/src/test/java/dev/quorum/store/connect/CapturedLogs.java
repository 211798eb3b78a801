package dev.quorum.store.connect;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.Property;

/**
 * What the loggers write while it is open, every logger at every level unless capped, with stack
 * traces: SLF4J through Log4j 2, and the PostgreSQL driver's java.util.logging.
 */
final class CapturedLogs implements AutoCloseable {
  private final Queue<String> entries = new ConcurrentLinkedQueue<>();
  private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
  private final java.util.logging.Logger driver = java.util.logging.Logger.getLogger("org.postgresql");
  private final java.util.logging.Level driverLevel = driver.getLevel();
  private final Handler driverHandler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      entries.add(record.getLoggerName() + " " + new java.util.logging.SimpleFormatter().formatMessage(record)
          + stackTrace(record.getThrown()));
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  private CapturedLogs(Map<String, Level> caps) {
    AbstractAppender appender = new AbstractAppender("captured", null, null, false, Property.EMPTY_ARRAY) {
      @Override
      public void append(LogEvent event) {
        entries.add(event.getLoggerName() + " " + event.getMessage().getFormattedMessage() + stackTrace(event.getThrown()));
      }
    };
    appender.start();
    context.getConfiguration().addAppender(appender);
    context.getConfiguration().getRootLogger().addAppender(appender, Level.ALL, null);
    Configurator.setAllLevels(LogManager.ROOT_LOGGER_NAME, Level.ALL);
    caps.forEach(Configurator::setLevel);
    driver.setLevel(java.util.logging.Level.ALL);
    driverHandler.setLevel(java.util.logging.Level.ALL);
    driver.addHandler(driverHandler);
  }

  /** Starts capturing; each logger named in {@code caps} logs at most at its level there. */
  static CapturedLogs start(Map<String, Level> caps) {
    return new CapturedLogs(caps);
  }

  /** All entries so far, one per line. */
  String text() {
    return String.join("\n", entries);
  }

  @Override
  public void close() {
    driver.removeHandler(driverHandler);
    driver.setLevel(driverLevel);
    // Back to the levels and appenders of the configuration file.
    context.reconfigure();
  }

  private static String stackTrace(Throwable thrown) {
    if (thrown == null) return "";
    StringWriter text = new StringWriter();
    thrown.printStackTrace(new PrintWriter(text));
    return "\n" + text;
  }
}
