package dev.quorum.ingest.slack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which incident a Slack channel is bound to, so that commands typed there need not name it: bindings
 * from configuration plus those made with {@code /incident bind}, kept in memory and, when a file is
 * configured, written through to it.
 *
 * <p>Limits, by design: the file belongs to one gateway instance (several replicas each keep their
 * own unless they share the file on one volume, and then the last writer wins); a binding is gateway
 * state, not an event, so it is neither in the record nor in the projections.
 */
public final class ChannelBindings {
  private final Map<String, UUID> bindings = new ConcurrentHashMap<>();
  private final Path file;

  private ChannelBindings(Path file) {
    this.file = file;
  }

  /** Bindings that live as long as the process. */
  public static ChannelBindings inMemory() {
    return new ChannelBindings(null);
  }

  /** Bindings loaded from {@code file} if it exists, and written to it on every change. */
  public static ChannelBindings persistedIn(Path file) {
    ChannelBindings result = new ChannelBindings(file);
    if (Files.exists(file)) {
      Properties stored = new Properties();
      try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        stored.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("could not read the channel bindings in " + file, e);
      }
      for (String key : stored.stringPropertyNames()) {
        try {
          result.bindings.put(key, UUID.fromString(stored.getProperty(key).strip()));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("channel binding " + key + " in " + file + " is not a UUID", e);
        }
      }
    }
    return result;
  }

  /** Adds bindings that configuration names ({@code <team>/<channel>} or a bare channel id for every team). */
  public ChannelBindings withStatic(Map<String, UUID> configured) {
    configured.forEach(bindings::putIfAbsent);
    return this;
  }

  public Optional<UUID> lookup(String teamId, String channelId) {
    UUID bound = bindings.get(key(teamId, channelId));
    return Optional.ofNullable(bound != null ? bound : bindings.get(channelId));
  }

  public synchronized void bind(String teamId, String channelId, UUID incidentId) {
    bindings.put(key(teamId, channelId), incidentId);
    persist();
  }

  /** Removes the channel's binding; true if there was one. */
  public synchronized boolean unbind(String teamId, String channelId) {
    boolean removed = bindings.remove(key(teamId, channelId)) != null | bindings.remove(channelId) != null;
    if (removed) persist();
    return removed;
  }

  private static String key(String teamId, String channelId) {
    return teamId + "/" + channelId;
  }

  private void persist() {
    if (file == null) return;
    Properties stored = new Properties();
    new TreeMap<>(bindings).forEach((key, incident) -> stored.setProperty(key, incident.toString()));
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      if (file.getParent() != null) Files.createDirectories(file.getParent());
      try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
        stored.store(out, "Slack channel -> incident id");
      }
      // a reader (or a crash) sees the old file or the new one, never half of one
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the channel bindings to " + file, e);
    }
  }
}
