package dev.quorum.bench.writer;

import java.io.IOException;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JDK Flight Recorder profile of a stretch of the run, summarised as where the CPU samples fall: by
 * thread, by library of the running frame, and the hottest methods (self and inclusive). Time spent
 * waiting on the database or Kafka does not show here: the writer's own step timers measure that.
 */
public final class Profile implements AutoCloseable {
  private final Recording recording;
  private final Path file;
  private final long pid;

  private Profile(Recording recording, Path file, long pid) {
    this.recording = recording;
    this.file = file;
    this.pid = pid;
  }

  /** Starts a recording in another JVM of this machine (the broker's), through {@code jcmd}. */
  public static Profile startIn(long pid, Path file) {
    jcmd(pid, "JFR.start", "name=bench", "settings=profile");
    return new Profile(null, file, pid);
  }

  private static void jcmd(long pid, String... command) {
    java.util.List<String> line = new java.util.ArrayList<>(java.util.List.of(
        Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid)));
    line.addAll(java.util.List.of(command));
    try {
      Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      if (process.waitFor() != 0) throw new IllegalStateException("jcmd " + String.join(" ", command) + ": " + output);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run jcmd", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  public static Profile start(Path file) {
    try {
      Recording recording = new Recording(Configuration.getConfiguration("profile"));
      recording.setToDisk(true);
      recording.start();
      return new Profile(recording, file, -1);
    } catch (IOException | ParseException e) {
      throw new IllegalStateException("cannot start a flight recording", e);
    }
  }

  /** Stops the recording, writes it, and returns its summary as Markdown. */
  public String stopAndSummarise() {
    try {
      if (recording == null) {
        jcmd(pid, "JFR.stop", "name=bench", "filename=" + file.toAbsolutePath());
        return summarise(file);
      }
      recording.stop();
      recording.dump(file);
      recording.close();
      return summarise(file);
    } catch (IOException e) {
      return "(no profile: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    if (recording != null) recording.close();
  }

  static String summarise(Path file) throws IOException {
    Map<String, Integer> byThread = new HashMap<>();
    Map<String, Integer> byLibrary = new HashMap<>();
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> inclusive = new HashMap<>();
    Map<String, Integer> quorum = new HashMap<>();
    int total = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
      if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) continue;
      List<RecordedFrame> frames = event.getStackTrace().getFrames();
      if (frames.isEmpty()) continue;
      total++;
      String thread = event.getThread("sampledThread") == null ? "?" : threadGroup(event.getThread("sampledThread").getJavaName());
      byThread.merge(thread, 1, Integer::sum);
      String top = name(frames.getFirst());
      self.merge(top, 1, Integer::sum);
      byLibrary.merge(library(frames), 1, Integer::sum);
      Set<String> seen = new HashSet<>();
      for (RecordedFrame frame : frames) {
        String method = name(frame);
        if ((method.startsWith("dev.quorum.") || method.startsWith("kafka.") || method.startsWith("org.apache.kafka."))
            && seen.add(method)) {
          inclusive.merge(method, 1, Integer::sum);
          if (method.startsWith("dev.quorum.") && !method.startsWith("dev.quorum.bench.")) quorum.merge(method, 1, Integer::sum);
        }
      }
    }
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "CPU samples: %,d (JFR `profile` settings).%n%n", total));
    table(out, "thread", byThread, total, 8);
    table(out, "library of the running code (first non-JDK frame)", byLibrary, total, 8);
    table(out, "hottest methods (self)", self, total, 12);
    table(out, "Quorum and Kafka methods (inclusive)", inclusive, total, 16);
    // Under a framework's frames (a stream thread's run loop) the table above shows only the framework.
    table(out, "Quorum methods (inclusive)", quorum, total, 16);
    return out.toString();
  }

  private static void table(StringBuilder out, String title, Map<String, Integer> counts, int total, int limit) {
    out.append("| ").append(title).append(" | share |\n|---|---:|\n");
    List<Map.Entry<String, Integer>> entries = new ArrayList<>(counts.entrySet());
    entries.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
    for (Map.Entry<String, Integer> entry : entries.subList(0, Math.min(limit, entries.size()))) {
      out.append(String.format(Locale.ROOT, "| `%s` | %.1f%% |%n", entry.getKey(), 100.0 * entry.getValue() / Math.max(1, total)));
    }
    out.append('\n');
  }

  private static String name(RecordedFrame frame) {
    return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
  }

  /** The library that asked for the work: the first frame outside the JDK. */
  private static String library(List<RecordedFrame> frames) {
    for (RecordedFrame frame : frames) {
      String type = frame.getMethod().getType().getName();
      if (type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.")) continue;
      if (type.startsWith("com.fasterxml.jackson")) return "Jackson (JSON)";
      if (type.startsWith("org.postgresql")) return "pgJDBC";
      if (type.startsWith("com.zaxxer.hikari")) return "HikariCP";
      if (type.startsWith("org.apache.kafka")) return "Kafka clients";
      if (type.startsWith("dev.quorum.event")) return "Quorum event model (codec, fold)";
      if (type.startsWith("dev.quorum.")) return "Quorum writer and store";
      if (type.startsWith("io.github.resilience4j")) return "resilience4j";
      if (type.startsWith("org.apache.logging") || type.startsWith("org.slf4j")) return "logging";
      return type.contains(".") ? type.substring(0, type.indexOf('.', type.indexOf('.') + 1) > 0
          ? type.indexOf('.', type.indexOf('.') + 1) : type.length()) : type;
    }
    return "JDK only";
  }

  private static String threadGroup(String name) {
    if (name == null) return "?";
    return name.replaceAll("[0-9]+", "N").replaceAll(" \\| .*", "");
  }
}
