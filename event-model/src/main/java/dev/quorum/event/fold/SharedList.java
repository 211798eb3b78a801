package dev.quorum.event.fold;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * An immutable list that grows at its end by sharing its array with the versions before it: {@link #plus}
 * writes one slot when this version is the longest one sharing the array (the fold's case), and copies
 * only when an older version grows a second branch.
 */
public final class SharedList<T> extends AbstractList<T> implements RandomAccess {
  private static final SharedList<Object> EMPTY = new SharedList<>(new Buffer(new Object[0], 0), 0);

  /** The array and how many of its slots some version uses. */
  private static final class Buffer {
    Object[] slots;
    int used;

    Buffer(Object[] slots, int used) {
      this.slots = slots;
      this.used = used;
    }
  }

  private final Buffer buffer;
  private final int size;

  private SharedList(Buffer buffer, int size) {
    this.buffer = buffer;
    this.size = size;
  }

  @SuppressWarnings("unchecked")
  public static <T> SharedList<T> empty() {
    return (SharedList<T>) EMPTY;
  }

  /** {@code items} itself when it is one, else a copy (null is empty). */
  @SuppressWarnings("unchecked")
  public static <T> SharedList<T> of(Collection<? extends T> items) {
    if (items instanceof SharedList<?> shared) return (SharedList<T>) shared;
    if (items == null || items.isEmpty()) return empty();
    Object[] slots = items.toArray();
    for (Object item : slots) Objects.requireNonNull(item, "item");
    CopyCount.add(slots.length);
    return new SharedList<>(new Buffer(slots, slots.length), slots.length);
  }

  /** This list with {@code item} at its end. */
  public SharedList<T> plus(T item) {
    Objects.requireNonNull(item, "item");
    Buffer target = buffer;
    if (size != buffer.used || buffer == EMPTY.buffer) {
      // another version already grew from here (or this is the shared empty list): a branch of its own
      target = new Buffer(Arrays.copyOf(buffer.slots, Math.max(4, size * 2)), size);
      CopyCount.add(size);
    } else if (size == buffer.slots.length) {
      buffer.slots = Arrays.copyOf(buffer.slots, Math.max(4, size * 2)); // older versions read only their prefix
      CopyCount.add(size);
    }
    target.slots[size] = item;
    target.used = size + 1;
    CopyCount.add(1);
    return new SharedList<>(target, size + 1);
  }

  @Override
  @SuppressWarnings("unchecked")
  public T get(int index) {
    Objects.checkIndex(index, size);
    return (T) buffer.slots[index];
  }

  @Override
  public int size() {
    return size;
  }
}
