package dev.quorum.export.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Runs the export command in this JVM for tests, capturing what it prints. */
public final class ExportCommandAccess {
  private ExportCommandAccess() {}

  /** The exit code and the two streams of one run. */
  public record Run(int exitCode, String stdout, String stderr) {}

  /** A run with no local database to fall back on. */
  public static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = ExportCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Optional::empty);
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
