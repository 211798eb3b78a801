package dev.quorum.writer.domain;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Gathers decoded deliveries into one batch within its {@link BatchLimits}: rows modified (a new
 * event id is one row, a new incident another: its anchor), bytes, and age.
 */
public final class BatchBuilder {
  private final BatchLimits limits;
  private final List<Decoded> items = new ArrayList<>();
  private final Set<UUID> eventIds = new HashSet<>();
  private final Set<UUID> incidentIds = new HashSet<>();
  private long bytes;
  private long startedNanos;

  public BatchBuilder(BatchLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /**
   * Adds the item when it fits; an item alone always fits, so that no record can block its partition.
   *
   * @return false when the batch is full for this item: drain it first
   */
  public boolean offer(Decoded item, long nowNanos) {
    int addedRows = 0;
    if (item instanceof Decoded.Valid valid) {
      if (!eventIds.contains(valid.incoming().event().id())) addedRows++;
      if (!incidentIds.contains(valid.incoming().event().incidentId())) addedRows++;
    }
    long size = item.delivery().size();
    if (!items.isEmpty() && (rows() + addedRows > limits.maxRows() || bytes + size > limits.maxBytes())) {
      return false;
    }
    if (items.isEmpty()) startedNanos = nowNanos;
    items.add(item);
    bytes += size;
    if (item instanceof Decoded.Valid valid) {
      eventIds.add(valid.incoming().event().id());
      incidentIds.add(valid.incoming().event().incidentId());
    }
    return true;
  }

  public boolean isEmpty() {
    return items.isEmpty();
  }

  /** Rows the batch modifies at most. */
  public int rows() {
    return eventIds.size() + incidentIds.size();
  }

  public long bytes() {
    return bytes;
  }

  /** No record of an unseen incident fits any more. */
  public boolean isFull() {
    return rows() + 2 > limits.maxRows() || bytes >= limits.maxBytes();
  }

  /** The first item has waited its maximum. */
  public boolean isDue(long nowNanos) {
    return !items.isEmpty() && nowNanos - startedNanos >= limits.maxWait().toNanos();
  }

  /** How long until {@link #isDue} turns true; the full wait for an empty batch. */
  public long nanosUntilDue(long nowNanos) {
    if (items.isEmpty()) return limits.maxWait().toNanos();
    return Math.max(0, limits.maxWait().toNanos() - (nowNanos - startedNanos));
  }

  /** Hands over the batch and starts an empty one. */
  public List<Decoded> drain() {
    List<Decoded> batch = List.copyOf(items);
    clear();
    return batch;
  }

  public void clear() {
    items.clear();
    eventIds.clear();
    incidentIds.clear();
    bytes = 0;
  }
}
