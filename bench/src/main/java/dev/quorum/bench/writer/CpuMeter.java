package dev.quorum.bench.writer;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time used by each side of a run (this JVM, the PostgreSQL server's processes, the broker's JVM),
 * read from {@code /proc}: what each stored event costs in CPU, whatever else the machine was doing.
 */
final class CpuMeter {
  private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux
  /** A marker that names a process by its id rather than by its command line. */
  static final String PID = "pid:";
  private final Map<String, String> markers;

  /** @param markers a name per side and a text its root process's command line contains */
  CpuMeter(Map<String, String> markers) {
    this.markers = markers;
  }

  /**
   * CPU seconds used so far by each side: its processes whose command line holds the marker, their
   * children (PostgreSQL's backends) and the children they reaped.
   */
  Map<String, Double> sample() {
    Map<String, Double> seconds = new LinkedHashMap<>();
    markers.keySet().forEach(name -> seconds.put(name, 0.0));
    Map<Long, String> roots = new HashMap<>();
    Map<Long, String[]> stats = new HashMap<>();
    try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
      processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
        long pid = Long.parseLong(p.getFileName().toString());
        String stat = read(p.resolve("stat"));
        if (stat.isEmpty()) return;
        stats.put(pid, stat.substring(stat.lastIndexOf(')') + 2).split(" "));
        String cmdline = read(p.resolve("cmdline")).replace('\0', ' ');
        for (Map.Entry<String, String> marker : markers.entrySet()) {
          String wanted = marker.getValue();
          if (wanted.startsWith(PID) ? wanted.equals(PID + pid) : cmdline.contains(wanted)) {
            roots.put(pid, marker.getKey());
            break;
          }
        }
      });
    } catch (IOException e) {
      return seconds; // not Linux: nothing to report
    }
    stats.forEach((pid, fields) -> {
      String side = roots.get(pid);
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      if (side != null) {
        ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
      } else {
        side = roots.get(Long.parseLong(fields[1]));
      }
      if (side != null) seconds.merge(side, ticks / TICKS_PER_SECOND, Double::sum);
    });
    return seconds;
  }

  /**
   * CPU seconds of this JVM's threads so far, by kind of thread (digits folded: "GC Thread#N"), so that
   * the garbage collector and the JIT compilers show beside the application's threads.
   */
  static Map<String, Double> threadsOfThisJvm() {
    return threadsOf("self");
  }

  /** The same for another process of this machine (the broker's JVM). */
  static Map<String, Double> threadsOf(String pid) {
    Map<String, Double> seconds = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc", pid, "task"))) {
      tasks.forEach(task -> {
        String stat = read(task.resolve("stat"));
        if (stat.isEmpty()) return;
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+", "N");
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        seconds.merge(name, (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND, Double::sum);
      });
    } catch (IOException e) {
      // not Linux
    }
    return seconds;
  }

  /** This JVM's own CPU time, precise. */
  static double jvmSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1e9;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
