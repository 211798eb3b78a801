package dev.quorum.kit.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** Everything logged while it is open, with stack traces, so tests can say what the log holds and what it never holds. */
public final class CapturedLogs implements AutoCloseable {
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
  private final AbstractAppender appender;

  /** Listens at the root: every logger of the test configuration is additive. */
  public CapturedLogs() {
    appender = new AbstractAppender("captured", null, null, true, Property.EMPTY_ARRAY) {
      @Override
      public void append(LogEvent event) {
        StringWriter text = new StringWriter().append(event.getLoggerName()).append(' ')
            .append(event.getMessage().getFormattedMessage());
        if (event.getThrown() != null) event.getThrown().printStackTrace(new PrintWriter(text.append('\n')));
        lines.add(text.toString());
      }
    };
    appender.start();
    context.getConfiguration().getRootLogger().addAppender(appender, Level.ALL, null);
    context.updateLoggers();
  }

  public String text() {
    return String.join("\n", lines);
  }

  @Override
  public void close() {
    context.getConfiguration().getRootLogger().removeAppender(appender.getName());
    context.updateLoggers();
    appender.stop();
  }
}
