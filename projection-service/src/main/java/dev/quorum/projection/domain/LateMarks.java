package dev.quorum.projection.domain;

import dev.quorum.event.fold.OrderKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The events of one incident that arrived after a later one was applied (a re-fold), as marks: a re-fold
 * stops where the stored fold stands again and leaves the later checkpoints as they were, so their
 * {@link Checkpoint.Reach} misses the late event. The reach of a checkpoint is its own and that of every
 * mark sorting before its opener (ADR 8). At most {@link #MAX} marks are kept: beyond that the two
 * neighbours closest in order merge into one with the earlier key and the later times, which can only
 * make fewer checkpoints usable, never an answer wrong.
 */
public record LateMarks(List<Mark> marks) {
  public static final int MAX = 32;
  public static final LateMarks NONE = new LateMarks(List.of());

  /** One late event (or merged run of them): the first order key, and the latest times. */
  public record Mark(OrderKey key, Checkpoint.Reach reach) {
    /**
     * What an event the views lack (refused) leaves: a mark before every event, known at no instant a
     * question may name, so that no checkpoint answers and the log does.
     */
    public static final Mark LACKING = new Mark(
        new OrderKey(Instant.EPOCH, 0, 0, new UUID(0, 0)),
        new Checkpoint.Reach(Instant.parse("9999-12-31T23:59:59Z"), Instant.parse("9999-12-31T23:59:59Z")));

    public Mark {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(reach, "reach");
    }
  }

  public LateMarks {
    marks = List.copyOf(marks);
  }

  /** The store key of an incident's marks: its id and one byte, never the 32 bytes of an {@link AppliedKey}. */
  public static byte[] key(UUID incidentId) {
    return java.nio.ByteBuffer.allocate(17).put(Keys.uuid(incidentId)).put((byte) 'L').array();
  }

  /** The marks as stored: each an order key, then the recorded and occurred times (micros, or none). */
  public byte[] encode() {
    java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(4 + marks.size() * (OrderKey.BYTES + 18));
    buffer.putInt(marks.size());
    for (Mark mark : marks) {
      buffer.put(mark.key().toBytes());
      putInstant(buffer, mark.reach().recorded());
      putInstant(buffer, mark.reach().occurred());
    }
    return buffer.array();
  }

  public static LateMarks decode(byte[] bytes) {
    java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
    int count = buffer.getInt();
    List<Mark> marks = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] key = new byte[OrderKey.BYTES];
      buffer.get(key);
      marks.add(new Mark(OrderKey.fromBytes(key), new Checkpoint.Reach(getInstant(buffer), getInstant(buffer))));
    }
    return new LateMarks(marks);
  }

  private static void putInstant(java.nio.ByteBuffer buffer, Instant instant) {
    buffer.put((byte) (instant == null ? 0 : 1));
    buffer.putLong(instant == null ? 0 : ChronoUnit.MICROS.between(Instant.EPOCH, instant));
  }

  private static Instant getInstant(java.nio.ByteBuffer buffer) {
    boolean present = buffer.get() == 1;
    long micros = buffer.getLong();
    return present ? Instant.EPOCH.plus(micros, ChronoUnit.MICROS) : null;
  }

  /** These marks and one more, merged down to {@link #MAX}. */
  public LateMarks with(Mark mark) {
    List<Mark> all = new ArrayList<>(marks);
    all.add(mark);
    all.sort(Comparator.comparing(Mark::key));
    while (all.size() > MAX) {
      // merge the two earliest: the checkpoints between them are the only ones that lose their use
      int merged = 0;
      all.set(merged, new Mark(all.get(merged).key(), all.get(merged).reach().with(all.get(merged + 1).reach())));
      all.remove(merged + 1);
    }
    return new LateMarks(all);
  }

  /** True when the views lack an event of the incident ({@link Mark#LACKING}): no checkpoint may answer. */
  public boolean lacking() {
    return !marks.isEmpty() && marks.getFirst().key().equals(Mark.LACKING.key());
  }

  /** The reach of a checkpoint whose opener is {@code opener} and whose own reach is {@code own}. */
  public Checkpoint.Reach reach(OrderKey opener, Checkpoint.Reach own) {
    Checkpoint.Reach reach = own;
    for (Mark mark : marks) {
      if (mark.key().compareTo(opener) >= 0) break;
      reach = reach.with(mark.reach());
    }
    return reach;
  }
}
