package dev.quorum.projection.kafka;

import dev.quorum.event.Role;
import dev.quorum.event.Severity;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.event.fold.Effect;
import dev.quorum.event.fold.Episode;
import dev.quorum.event.fold.Episode.Followup;
import dev.quorum.event.fold.Episode.ResolvedBy;
import dev.quorum.event.fold.Episode.RoleChange;
import dev.quorum.event.fold.Episode.SignalStatus;
import dev.quorum.event.fold.IncidentState;
import dev.quorum.event.fold.OrderKey;
import dev.quorum.event.fold.SharedMap;
import dev.quorum.event.fold.Status;
import dev.quorum.event.fold.TimelineEntry;
import dev.quorum.projection.domain.Checkpoint;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A compact binary form of the values only the projection's own stores hold (the state, episodes,
 * checkpoints and timeline entries): a version byte, then the record's fields in order. Writing the state on every event as
 * JSON cost more than the fold. Values written as JSON by earlier builds (a JSON object starts with
 * {@code '{'}) are still read, so a changelog stored before restores as it was. Enums are written by
 * name, so reordering their constants changes no stored value.
 */
final class BinaryValues {
  /** The first byte of a value in this form; a JSON value starts with '{' (0x7b). */
  static final byte VERSION = 1;

  private BinaryValues() {}

  /** The serde of {@code type}'s store values: writes this form, reads it and the JSON one. */
  static <T> Serde<T> serde(Class<T> type, BiConsumer<Out, T> writer, Function<In, T> reader) {
    Deserializer<T> json = ViewSerdes.json(type).deserializer();
    Serializer<T> serializer = (topic, value) -> {
      if (value == null) return null;
      Out out = Out.versioned();
      writer.accept(out, value);
      return out.bytes();
    };
    Deserializer<T> deserializer = (topic, bytes) -> {
      if (bytes == null) return null;
      if (bytes.length == 0 || bytes[0] != VERSION) return json.deserialize(topic, bytes);
      try {
        In in = new In(bytes);
        T value = reader.apply(in);
        if (in.buffer.hasRemaining()) throw new IllegalArgumentException(in.buffer.remaining() + " bytes left over");
        return value;
      } catch (RuntimeException e) {
        throw new SerializationException("unreadable " + type.getSimpleName(), e);
      }
    };
    return Serdes.serdeFrom(serializer, deserializer);
  }

  /** The last event decoded on each thread from a record and that record's bytes (see {@link #decoded}). */
  private static final ThreadLocal<Object[]> LAST_DECODED = ThreadLocal.withInitial(() -> new Object[2]);

  /**
   * Remembers that {@code event} was decoded from {@code bytes} ({@link EventCodec#decode(byte[])}): its
   * timeline entry then stores those bytes instead of encoding the event again.
   */
  static void decoded(dev.quorum.event.Event event, byte[] bytes) {
    Object[] last = LAST_DECODED.get();
    last[0] = event;
    last[1] = bytes;
  }

  /**
   * A timeline entry: its episode, effect and reason, then the event's CloudEvents document as the rest of
   * the value (written streaming, with no JSON tree in between).
   */
  static Serde<TimelineEntry> timelineEntry(Deserializer<TimelineEntry> json) {
    Serializer<TimelineEntry> serializer = (topic, entry) -> {
      if (entry == null) return null;
      Out out = Out.versioned();
      out.integer(entry.episode());
      out.name(entry.effect());
      out.text(entry.reason());
      Object[] decoded = LAST_DECODED.get();
      out.rest(decoded[0] == entry.event() ? (byte[]) decoded[1] : EventCodec.encode(entry.event()));
      return out.bytes();
    };
    Deserializer<TimelineEntry> deserializer = (topic, bytes) -> {
      if (bytes == null) return null;
      if (bytes.length == 0 || bytes[0] != VERSION) return json.deserialize(topic, bytes);
      try {
        In in = new In(bytes);
        int episode = in.integer();
        Effect effect = in.name(Effect.class);
        String reason = in.text();
        return new TimelineEntry(EventCodec.decode(in.rest()), episode, effect, reason);
      } catch (RuntimeException e) {
        throw new SerializationException("unreadable timeline entry", e);
      }
    };
    return Serdes.serdeFrom(serializer, deserializer);
  }

  static void state(Out out, IncidentState s) {
    out.uuid(s.incidentId());
    out.integer(s.episodes().size());
    for (Episode episode : s.episodes()) episode(out, episode);
    out.orderKey(s.last());
    out.number(s.events());
    out.number(s.withoutEffect());
    out.number(s.unknown());
    large(out, s.openFollowups(), part -> {
      part.integer(s.openFollowups().size());
      s.openFollowups().forEach((id, episode) -> {
        part.text(id);
        part.integer(episode);
      });
    });
    out.instant(s.heldAcknowledgement());
  }

  static IncidentState state(In in) {
    UUID incidentId = in.uuid();
    int count = in.count();
    List<Episode> episodes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) episodes.add(episode(in));
    OrderKey last = in.orderKey();
    long events = in.number();
    long withoutEffect = in.number();
    long unknown = in.number();
    int open = in.count();
    Map<String, Integer> openFollowups = new LinkedHashMap<>();
    for (int i = 0; i < open; i++) openFollowups.put(in.text(), in.integer());
    return new IncidentState(incidentId, episodes, last, events, withoutEffect, unknown, openFollowups, in.instant());
  }

  /** The last episode written on each thread and its fields' bytes (see {@link #episode(Out, Episode)}). */
  private static final ThreadLocal<Object[]> LAST_EPISODE = ThreadLocal.withInitial(() -> new Object[2]);

  /**
   * Writes the episode's fields. An event writes the same episode instance twice, in the state (its latest)
   * and as the stored episode: the second write copies the bytes of the first (episodes are immutable).
   */
  static void episode(Out out, Episode e) {
    Object[] last = LAST_EPISODE.get();
    if (last[0] != e) {
      Out fields = new Out();
      episodeFields(fields, e);
      last[0] = e;
      last[1] = fields.bytes();
    }
    out.rest((byte[]) last[1]);
  }

  private static void episodeFields(Out out, Episode e) {
    out.integer(e.number());
    out.name(e.status());
    out.instant(e.triggeredAt());
    out.instant(e.acknowledgedAt());
    out.instant(e.resolvedAt());
    out.name(e.resolvedBy());
    out.instant(e.closedAt());
    out.instant(e.lastChangedAt());
    out.text(e.title());
    out.text(e.service());
    out.name(e.severity());
    out.uuid(e.mergedInto());
    out.integer(e.assignees().size());
    e.assignees().forEach(out::text);
    out.integer(e.roles().size());
    e.roles().forEach((role, responder) -> {
      out.name(role);
      out.text(responder);
    });
    out.integer(e.roleHistory().size());
    for (RoleChange change : e.roleHistory()) {
      out.name(change.role());
      out.text(change.responder());
      out.text(change.assignedBy());
      out.instant(change.at());
    }
    large(out, e.signals(), part -> {
      part.integer(e.signals().size());
      e.signals().forEach((fingerprint, status) -> {
        part.text(fingerprint);
        part.name(status);
      });
    });
    large(out, e.followups(), part -> {
      part.integer(e.followups().size());
      e.followups().forEach((key, followup) -> {
        part.text(key);
        part.text(followup.id());
        part.text(followup.title());
        part.text(followup.owner());
        part.integer(followup.completed() ? 1 : 0);
      });
    });
    out.integer(e.escalations());
    out.integer(e.escalationLevel());
    out.integer(e.reopens());
  }

  static Episode episode(In in) {
    int number = in.integer();
    Status status = in.name(Status.class);
    Instant triggeredAt = in.instant();
    Instant acknowledgedAt = in.instant();
    Instant resolvedAt = in.instant();
    ResolvedBy resolvedBy = in.name(ResolvedBy.class);
    Instant closedAt = in.instant();
    Instant lastChangedAt = in.instant();
    String title = in.text();
    String service = in.text();
    Severity severity = in.name(Severity.class);
    UUID mergedInto = in.uuid();
    int count = in.count();
    Set<String> assignees = new LinkedHashSet<>();
    for (int i = 0; i < count; i++) assignees.add(in.text());
    count = in.count();
    Map<Role, String> roles = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) roles.put(in.name(Role.class), in.text());
    count = in.count();
    List<RoleChange> roleHistory = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      roleHistory.add(new RoleChange(in.name(Role.class), in.text(), in.text(), in.instant()));
    }
    count = in.count();
    Map<String, SignalStatus> signals = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) signals.put(in.text(), in.name(SignalStatus.class));
    count = in.count();
    Map<String, Followup> followups = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      followups.put(in.text(), new Followup(in.text(), in.text(), in.text(), in.integer() != 0));
    }
    return new Episode(number, status, triggeredAt, acknowledgedAt, resolvedAt, resolvedBy, closedAt, lastChangedAt,
        title, service, severity, mergedInto, assignees, roles, roleHistory, signals, followups, in.integer(),
        in.integer(), in.integer());
  }

  /** Maps from this size on keep their bytes while unchanged (see {@link #large}). */
  static final int LARGE = 8;
  /** How many maps' bytes each thread keeps: a few per incident of a busy task. */
  static final int KEPT_MAPS = 4_096;

  /** An object compared by identity. */
  private record Same(Object value) {
    @Override
    public boolean equals(Object other) {
      return other instanceof Same same && same.value == value;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(value);
    }
  }

  /** The bytes of the last large maps written on each thread, by instance. */
  private static final ThreadLocal<Map<Same, byte[]>> LARGE_MAPS = ThreadLocal.withInitial(() ->
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Same, byte[]> eldest) {
          return size() > KEPT_MAPS;
        }
      });

  /**
   * Writes {@code map} with {@code write}. A large one that is a {@link SharedMap} (immutable) keeps its bytes:
   * a busy incident's follow-ups and signals are written with each of its events, and most events leave
   * them as they were (the same instance).
   */
  private static void large(Out out, Map<String, ?> map, java.util.function.Consumer<Out> write) {
    if (map.size() < LARGE || !(map instanceof SharedMap<?>)) {
      write.accept(out);
      return;
    }
    Map<Same, byte[]> known = LARGE_MAPS.get();
    Same key = new Same(map);
    byte[] bytes = known.get(key);
    if (bytes == null) {
      Out part = new Out();
      write.accept(part);
      bytes = part.bytes();
      known.put(key, bytes);
    }
    out.rest(bytes);
  }

  static void checkpoint(Out out, Checkpoint c) {
    out.orderKey(c.opener());
    state(out, c.before());
    // the reach last: a checkpoint written without one ends here, and reads back with none
    if (c.reach() != null) {
      out.instant(c.reach().recorded());
      out.instant(c.reach().occurred());
    }
  }

  static Checkpoint checkpoint(In in) {
    OrderKey opener = in.orderKey();
    IncidentState before = state(in);
    Checkpoint.Reach reach = in.buffer.hasRemaining() ? new Checkpoint.Reach(in.instant(), in.instant()) : null;
    return new Checkpoint(opener, before, reach);
  }

  /** Each enum constant's name as {@link Out#text} writes it (length and UTF-8 bytes), by ordinal. */
  private static final ClassValue<byte[][]> NAMES = new ClassValue<>() {
    @Override
    protected byte[][] computeValue(Class<?> type) {
      Object[] constants = type.getEnumConstants();
      byte[][] names = new byte[constants.length][];
      for (int i = 0; i < constants.length; i++) {
        Out out = new Out();
        out.text(((Enum<?>) constants[i]).name());
        names[i] = out.bytes();
      }
      return names;
    }
  };

  /** A growing buffer the fields are written to. */
  static final class Out {
    byte[] buffer = new byte[512];
    int size;

    /** A value's buffer: the version byte written, the fields to follow. */
    static Out versioned() {
      Out out = new Out();
      out.buffer[0] = VERSION;
      out.size = 1;
      return out;
    }

    private void room(int bytes) {
      if (size + bytes > buffer.length) buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + bytes));
    }

    byte[] bytes() {
      return Arrays.copyOf(buffer, size);
    }

    void integer(int value) {
      room(4);
      buffer[size++] = (byte) (value >>> 24);
      buffer[size++] = (byte) (value >>> 16);
      buffer[size++] = (byte) (value >>> 8);
      buffer[size++] = (byte) value;
    }

    void number(long value) {
      integer((int) (value >>> 32));
      integer((int) value);
    }

    /** Null as -1, else the length of its UTF-8 bytes and the bytes. */
    void text(String value) {
      if (value == null) {
        integer(-1);
        return;
      }
      // ASCII text (names, ids, fingerprints: nearly all) is its own UTF-8: copied as it is read, no array between
      int length = value.length();
      room(4 + length);
      int at = size + 4;
      for (int i = 0; i < length; i++) {
        char c = value.charAt(i);
        if (c >= 0x80) {
          byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
          integer(utf8.length);
          rest(utf8);
          return;
        }
        buffer[at + i] = (byte) c;
      }
      integer(length);
      size += length;
    }

    void name(Enum<?> value) {
      if (value == null) {
        integer(-1);
        return;
      }
      rest(NAMES.get(value.getDeclaringClass())[value.ordinal()]);
    }

    void instant(Instant value) {
      if (value == null) {
        integer(-1);
        return;
      }
      integer(value.getNano());
      number(value.getEpochSecond());
    }

    void uuid(UUID value) {
      if (value == null) {
        integer(0);
        return;
      }
      integer(1);
      number(value.getMostSignificantBits());
      number(value.getLeastSignificantBits());
    }

    /** Bytes as they are (the reader knows their length, or they run to the end of the value). */
    void rest(byte[] bytes) {
      room(bytes.length);
      System.arraycopy(bytes, 0, buffer, size, bytes.length);
      size += bytes.length;
    }

    void orderKey(OrderKey key) {
      if (key == null) {
        integer(-1);
        return;
      }
      byte[] bytes = key.toBytes();
      integer(bytes.length);
      rest(bytes);
    }
  }

  /** Reads the fields back in the order {@link Out} wrote them. */
  static final class In {
    final ByteBuffer buffer;

    In(byte[] bytes) {
      this.buffer = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
    }

    int integer() {
      return buffer.getInt();
    }

    /** A count of elements: each takes at least one byte, so a count past what is left is a broken value. */
    int count() {
      int count = buffer.getInt();
      if (count < 0 || count > buffer.remaining()) throw new IllegalArgumentException("a count of " + count);
      return count;
    }

    long number() {
      return buffer.getLong();
    }

    String text() {
      int length = buffer.getInt();
      if (length == -1) return null;
      if (length < 0 || length > buffer.remaining()) throw new IllegalArgumentException("a text of " + length + " bytes");
      String value = new String(buffer.array(), buffer.position(), length, StandardCharsets.UTF_8);
      buffer.position(buffer.position() + length);
      return value;
    }

    <E extends Enum<E>> E name(Class<E> type) {
      String name = text();
      return name == null ? null : Enum.valueOf(type, name);
    }

    Instant instant() {
      int nanos = buffer.getInt();
      return nanos == -1 ? null : Instant.ofEpochSecond(buffer.getLong(), nanos);
    }

    UUID uuid() {
      return buffer.getInt() == 0 ? null : new UUID(buffer.getLong(), buffer.getLong());
    }

    byte[] rest() {
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    }

    OrderKey orderKey() {
      int length = buffer.getInt();
      if (length == -1) return null;
      if (length < 0 || length > buffer.remaining()) throw new IllegalArgumentException("an order key of " + length + " bytes");
      byte[] bytes = new byte[length];
      buffer.get(bytes);
      return OrderKey.fromBytes(bytes);
    }
  }
}
