package dev.quorum.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * One service of the pipeline as a child JVM on this JVM's class path, configured by {@code -D} properties:
 * started, SIGKILLed and started again with the same configuration (same ports, same transactional id,
 * same state directory), its output appended to one log file across restarts.
 */
final class Service implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final String mainClass;
  private final List<String> args;
  private final Map<String, String> config;
  private final String healthUrl;
  private final Path log;
  private final String heap;
  private Process process;
  private int starts;
  private int unexpectedExits;

  Service(String name, String mainClass, List<String> args, Map<String, String> config, String healthUrl, Path log, String heap) {
    this.name = name;
    this.mainClass = mainClass;
    this.args = List.copyOf(args);
    this.config = Map.copyOf(config);
    this.healthUrl = healthUrl;
    this.log = log;
    this.heap = heap;
  }

  String name() {
    return name;
  }

  Path log() {
    return log;
  }

  /** Starts the JVM and returns once its {@code /healthz} answers 200. */
  synchronized Service start() {
    if (process != null && process.isAlive()) return this;
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heap);
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Xshare:auto");
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-Dlog4j2.configurationFile=" + Pipeline.CHILD_LOG_CONFIG);
    config.forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + name, e);
    }
    starts++;
    Process started = process;
    await("%s healthy (log: %s)".formatted(name, log)).atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
        .until(() -> {
          if (!started.isAlive()) throw new IllegalStateException(name + " exited with " + started.exitValue() + " while starting; see " + log);
          return healthy();
        });
    return this;
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed or closed. */
  synchronized void kill() {
    if (process == null) return;
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Restarts the JVM when it exited without being killed here, and counts it: a service is meant to
   * ride out every fault of the run (a database or broker outage included) without exiting.
   */
  synchronized boolean reviveIfExited() {
    if (process == null || process.isAlive()) return false;
    unexpectedExits++;
    ChaosRun.progress("%s exited by itself with status %d; restarting it (see %s)", name, process.exitValue(), log);
    start();
    return true;
  }

  synchronized int unexpectedExits() {
    return unexpectedExits;
  }

  synchronized int starts() {
    return starts;
  }

  synchronized boolean alive() {
    return process != null && process.isAlive();
  }

  private boolean healthy() {
    try {
      HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(healthUrl)).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public synchronized void close() {
    if (process != null) {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
