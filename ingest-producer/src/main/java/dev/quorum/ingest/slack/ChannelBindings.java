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
 * from configuration plus those made with {@code /incident bind} or {@code declare}, kept in a
 * {@link Store}. The gateway's store is a compacted Kafka topic every replica reads, so that a channel
 * bound through one replica is bound for all of them; a binding is gateway state, not an event, so it
 * is neither in the record nor in the projections.
 */
public final class ChannelBindings implements AutoCloseable {
  /** What an unbind writes: it also hides a configured binding of the channel. */
  private static final String UNBOUND = "";

  /** Where bindings made in Slack are kept: the value last written for a key, by any replica. */
  public interface Store extends AutoCloseable {
    /** The value last written for {@code key}, including what other replicas wrote before this call; null if none. */
    String get(String key);

    /** Writes durably before it returns. */
    void put(String key, String value);

    @Override
    default void close() {}
  }

  private final Store store;
  private final Map<String, UUID> configured = new ConcurrentHashMap<>();

  private ChannelBindings(Store store) {
    this.store = store;
  }

  /** Bindings kept in {@code store}. */
  public static ChannelBindings in(Store store) {
    return new ChannelBindings(store);
  }

  /** Bindings that live as long as the process (tests, a single local gateway). */
  public static ChannelBindings inMemory() {
    Map<String, String> values = new ConcurrentHashMap<>();
    return new ChannelBindings(new Store() {
      @Override
      public String get(String key) {
        return values.get(key);
      }

      @Override
      public void put(String key, String value) {
        values.put(key, value);
      }
    });
  }

  /** Bindings loaded from {@code file} if it exists, and written to it on every change: one gateway instance's. */
  public static ChannelBindings persistedIn(Path file) {
    return new ChannelBindings(new FileStore(file));
  }

  /** Adds bindings that configuration names ({@code <team>/<channel>} or a bare channel id for every team). */
  public ChannelBindings withStatic(Map<String, UUID> bindings) {
    configured.putAll(bindings);
    return this;
  }

  public Optional<UUID> lookup(String teamId, String channelId) {
    String stored = store.get(key(teamId, channelId));
    if (stored != null) return stored.equals(UNBOUND) ? Optional.empty() : Optional.of(UUID.fromString(stored));
    UUID bound = configured.get(key(teamId, channelId));
    return Optional.ofNullable(bound != null ? bound : configured.get(channelId));
  }

  public void bind(String teamId, String channelId, UUID incidentId) {
    store.put(key(teamId, channelId), incidentId.toString());
  }

  /** Removes the channel's binding; true if there was one. */
  public boolean unbind(String teamId, String channelId) {
    if (lookup(teamId, channelId).isEmpty()) return false;
    store.put(key(teamId, channelId), UNBOUND);
    return true;
  }

  @Override
  public void close() throws Exception {
    store.close();
  }

  private static String key(String teamId, String channelId) {
    return teamId + "/" + channelId;
  }

  /** A properties file, replaced whole on every change. */
  private static final class FileStore implements Store {
    private final Map<String, String> values = new ConcurrentHashMap<>();
    private final Path file;

    FileStore(Path file) {
      this.file = file;
      if (!Files.exists(file)) return;
      Properties stored = new Properties();
      try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        stored.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("could not read the channel bindings in " + file, e);
      }
      for (String key : stored.stringPropertyNames()) {
        String value = stored.getProperty(key).strip();
        if (!value.equals(UNBOUND)) {
          try {
            UUID.fromString(value);
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("channel binding " + key + " in " + file + " is not a UUID", e);
          }
        }
        values.put(key, value);
      }
    }

    @Override
    public String get(String key) {
      return values.get(key);
    }

    @Override
    public synchronized void put(String key, String value) {
      values.put(key, value);
      Properties stored = new Properties();
      new TreeMap<>(values).forEach(stored::setProperty);
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
}
