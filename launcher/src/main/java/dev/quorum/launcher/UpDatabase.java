package dev.quorum.launcher;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * How a running {@code quorum up} tells the other commands on this machine where its database is: a file of
 * {@code db.*} settings per {@code up} process ({@code quorum-up-<pid>.db.properties} in the temporary
 * directory, readable by its owner only, removed when {@code up} stops). {@code quorum export} without a
 * configured database takes the newest file whose process still runs.
 */
final class UpDatabase {
  private static final Pattern NAME = Pattern.compile("quorum-up-(\\d+)\\.db\\.properties");

  private UpDatabase() {}

  static Path directory() {
    return Path.of(System.getProperty("java.io.tmpdir"));
  }

  static Path fileOf(Path directory, long pid) {
    return directory.resolve("quorum-up-" + pid + ".db.properties");
  }

  /** Writes this process's file; closing the result removes it. */
  static AutoCloseable announce(Path directory, String url, String username, String password) throws IOException {
    Path file = fileOf(directory, ProcessHandle.current().pid());
    Files.deleteIfExists(file);
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    Properties settings = new Properties();
    settings.setProperty("db.url", url);
    settings.setProperty("db.username", username);
    settings.setProperty("db.password", password);
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      settings.store(out, "the database of quorum up (pid " + ProcessHandle.current().pid() + "), removed when it stops");
    }
    return () -> Files.deleteIfExists(file);
  }

  /** The settings of the newest {@code up} on this machine that still runs, if any. */
  static Optional<Map<String, String>> find(Path directory) {
    try (Stream<Path> files = Files.list(directory)) {
      return files
          .filter(f -> pidOf(f) > 0 && ProcessHandle.of(pidOf(f)).map(ProcessHandle::isAlive).orElse(false))
          .max(Comparator.comparing(UpDatabase::modified))
          .flatMap(UpDatabase::readIfThere);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The file's settings, or empty when it went away meanwhile (its up stopped). */
  private static Optional<Map<String, String>> readIfThere(Path file) {
    try {
      return Optional.of(read(file));
    } catch (UncheckedIOException e) {
      return Optional.empty();
    }
  }

  static Map<String, String> read(Path file) {
    Properties settings = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      settings.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file, e);
    }
    Map<String, String> map = new TreeMap<>();
    settings.stringPropertyNames().forEach(name -> map.put(name, settings.getProperty(name)));
    return map;
  }

  private static long pidOf(Path file) {
    Matcher m = NAME.matcher(file.getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  private static java.nio.file.attribute.FileTime modified(Path file) {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      return java.nio.file.attribute.FileTime.fromMillis(0);
    }
  }
}
