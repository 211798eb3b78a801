package dev.quorum.event.fold;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * An immutable map of text keys in key order that shares structure between versions: {@link #plus} and
 * {@link #minus} copy one path of a balanced (AVL) tree, so a change costs the logarithm of the size, not
 * the size. It counts the values {@code counted} accepts (an episode's firing signals) as it changes.
 */
public final class SharedMap<V> extends AbstractMap<String, V> {
  private static final SharedMap<Object> EMPTY = new SharedMap<>(null, 0, 0, null);

  private final Node<V> root;
  private final int size;
  private final int counted;
  private final Predicate<? super V> counts;
  private Set<Entry<String, V>> entries;

  private SharedMap(Node<V> root, int size, int counted, Predicate<? super V> counts) {
    this.root = root;
    this.size = size;
    this.counted = counted;
    this.counts = counts;
  }

  @SuppressWarnings("unchecked")
  public static <V> SharedMap<V> empty() {
    return (SharedMap<V>) EMPTY;
  }

  /** An empty map that counts the values {@code counts} accepts. */
  public static <V> SharedMap<V> counting(Predicate<? super V> counts) {
    return new SharedMap<>(null, 0, 0, Objects.requireNonNull(counts, "counts"));
  }

  /** {@code map} itself when it is one, else a copy (null or absent is empty). */
  public static <V> SharedMap<V> of(Map<String, ? extends V> map) {
    return of(map, null);
  }

  /** As {@link #of(Map)}, counting the values {@code counts} accepts (null: none). */
  @SuppressWarnings("unchecked")
  public static <V> SharedMap<V> of(Map<String, ? extends V> map, Predicate<? super V> counts) {
    if (map instanceof SharedMap<?> shared && shared.counts == counts) return (SharedMap<V>) shared;
    SharedMap<V> copy = counts == null ? empty() : counting(counts);
    if (map == null || map.isEmpty()) return copy;
    String[] keys = new String[map.size()];
    Object[] values = new Object[keys.length];
    int i = 0;
    boolean sorted = true;
    int counted = 0;
    for (Map.Entry<String, ? extends V> e : map.entrySet()) {
      keys[i] = Objects.requireNonNull(e.getKey(), "key");
      values[i] = Objects.requireNonNull(e.getValue(), "value");
      if (i > 0 && keys[i - 1].compareTo(keys[i]) >= 0) sorted = false;
      if (copy.count(e.getValue()) == 1) counted++;
      i++;
    }
    if (!sorted) {
      for (Map.Entry<String, ? extends V> e : map.entrySet()) copy = copy.plus(e.getKey(), e.getValue());
      return copy;
    }
    // in key order (a stored value is written so): a balanced tree in one pass
    return new SharedMap<>(balanced(keys, values, 0, keys.length), keys.length, counted, counts);
  }

  @SuppressWarnings("unchecked")
  private static <V> Node<V> balanced(String[] keys, Object[] values, int from, int to) {
    if (from >= to) return null;
    int mid = (from + to) >>> 1;
    return new Node<>(keys[mid], (V) values[mid], balanced(keys, values, from, mid), balanced(keys, values, mid + 1, to));
  }

  /** This map with {@code key} mapped to {@code value}. */
  public SharedMap<V> plus(String key, V value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    V old = get(key);
    if (old != null && old.equals(value)) return this;
    Node<V> changed = put(root, key, value);
    return new SharedMap<>(changed, old == null ? size + 1 : size, counted - count(old) + count(value), counts);
  }

  /** This map without {@code key}. */
  public SharedMap<V> minus(String key) {
    V old = get(key);
    if (old == null) return this;
    return new SharedMap<>(remove(root, key), size - 1, counted - count(old), counts);
  }

  /** How many values the counting predicate accepts (0 without one). */
  public int counted() {
    return counted;
  }

  private int count(V value) {
    return value != null && counts != null && counts.test(value) ? 1 : 0;
  }

  @Override
  public V get(Object key) {
    if (!(key instanceof String k)) return null;
    Node<V> n = root;
    while (n != null) {
      int c = k.compareTo(n.key);
      if (c == 0) return n.value;
      n = c < 0 ? n.left : n.right;
    }
    return null;
  }

  @Override
  public boolean containsKey(Object key) {
    return get(key) != null;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean equals(Object o) {
    if (o instanceof SharedMap<?> other && other.root == root) return true;
    return super.equals(o);
  }

  @Override
  public int hashCode() {
    return super.hashCode();
  }

  @Override
  public Set<Entry<String, V>> entrySet() {
    if (entries == null) {
      entries = new AbstractSet<>() {
        @Override
        public Iterator<Entry<String, V>> iterator() {
          return new InOrder<>(root);
        }

        @Override
        public int size() {
          return size;
        }
      };
    }
    return entries;
  }

  private static final class Node<V> implements Map.Entry<String, V> {
    final String key;
    final V value;
    final Node<V> left;
    final Node<V> right;
    final int height;

    Node(String key, V value, Node<V> left, Node<V> right) {
      this.key = key;
      this.value = value;
      this.left = left;
      this.right = right;
      this.height = Math.max(height(left), height(right)) + 1;
      CopyCount.add(1);
    }

    @Override
    public String getKey() {
      return key;
    }

    @Override
    public V getValue() {
      return value;
    }

    @Override
    public V setValue(V value) {
      throw new UnsupportedOperationException("immutable");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Map.Entry<?, ?> e && key.equals(e.getKey()) && value.equals(e.getValue());
    }

    @Override
    public int hashCode() {
      return key.hashCode() ^ value.hashCode();
    }
  }

  private static int height(Node<?> n) {
    return n == null ? 0 : n.height;
  }

  private static <V> Node<V> put(Node<V> n, String key, V value) {
    if (n == null) return new Node<>(key, value, null, null);
    int c = key.compareTo(n.key);
    if (c == 0) return new Node<>(key, value, n.left, n.right);
    if (c < 0) return balance(n.key, n.value, put(n.left, key, value), n.right);
    return balance(n.key, n.value, n.left, put(n.right, key, value));
  }

  private static <V> Node<V> remove(Node<V> n, String key) {
    if (n == null) return null;
    int c = key.compareTo(n.key);
    if (c < 0) return balance(n.key, n.value, remove(n.left, key), n.right);
    if (c > 0) return balance(n.key, n.value, n.left, remove(n.right, key));
    if (n.left == null) return n.right;
    if (n.right == null) return n.left;
    Node<V> min = n.right;
    while (min.left != null) min = min.left;
    return balance(min.key, min.value, n.left, remove(n.right, min.key));
  }

  private static <V> Node<V> balance(String key, V value, Node<V> left, Node<V> right) {
    int hl = height(left);
    int hr = height(right);
    if (hl > hr + 1) {
      if (height(left.left) >= height(left.right)) {
        return new Node<>(left.key, left.value, left.left, new Node<>(key, value, left.right, right));
      }
      Node<V> lr = left.right;
      return new Node<>(lr.key, lr.value, new Node<>(left.key, left.value, left.left, lr.left),
          new Node<>(key, value, lr.right, right));
    }
    if (hr > hl + 1) {
      if (height(right.right) >= height(right.left)) {
        return new Node<>(right.key, right.value, new Node<>(key, value, left, right.left), right.right);
      }
      Node<V> rl = right.left;
      return new Node<>(rl.key, rl.value, new Node<>(key, value, left, rl.left),
          new Node<>(right.key, right.value, rl.right, right.right));
    }
    return new Node<>(key, value, left, right);
  }

  private static final class InOrder<V> implements Iterator<Entry<String, V>> {
    private final ArrayDeque<Node<V>> path = new ArrayDeque<>();

    InOrder(Node<V> root) {
      descend(root);
    }

    private void descend(Node<V> n) {
      for (; n != null; n = n.left) path.push(n);
    }

    @Override
    public boolean hasNext() {
      return !path.isEmpty();
    }

    @Override
    public Entry<String, V> next() {
      if (path.isEmpty()) throw new NoSuchElementException();
      Node<V> n = path.pop();
      descend(n.right);
      return n;
    }
  }
}
