package dev.quorum.event.fold;

import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;

/** An immutable set of text in order that shares structure between versions (a {@link SharedMap}'s keys). */
public final class SharedSet extends AbstractSet<String> {
  private static final SharedSet EMPTY = new SharedSet(SharedMap.empty());

  private final SharedMap<Boolean> map;

  private SharedSet(SharedMap<Boolean> map) {
    this.map = map;
  }

  public static SharedSet empty() {
    return EMPTY;
  }

  /** {@code items} itself when it is one, else a copy (null is empty). */
  public static SharedSet of(Collection<String> items) {
    if (items instanceof SharedSet shared) return shared;
    SharedSet set = EMPTY;
    if (items != null) for (String item : items) set = set.plus(item);
    return set;
  }

  public SharedSet plus(String item) {
    SharedMap<Boolean> now = map.plus(item, Boolean.TRUE);
    return now == map ? this : new SharedSet(now);
  }

  public SharedSet minus(String item) {
    SharedMap<Boolean> now = map.minus(item);
    return now == map ? this : new SharedSet(now);
  }

  @Override
  public boolean contains(Object o) {
    return map.containsKey(o);
  }

  @Override
  public Iterator<String> iterator() {
    return map.keySet().iterator();
  }

  @Override
  public int size() {
    return map.size();
  }
}
