package dev.quorum.projection.testing;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * In-memory stores whose range scans iterate a live view, as RocksDB's do: Kafka's in-memory store copies
 * every key of a range first, which makes a scan of a few keys in a large range cost the range.
 */
public final class SkipListStores {
  private SkipListStores() {}

  public static KeyValueBytesStoreSupplier supplier(String name) {
    return new KeyValueBytesStoreSupplier() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public KeyValueStore<Bytes, byte[]> get() {
        return new Store(name);
      }

      @Override
      public String metricsScope() {
        return "skiplist";
      }
    };
  }

  private static final class Store implements KeyValueStore<Bytes, byte[]> {
    private final String name;
    private final ConcurrentSkipListMap<Bytes, byte[]> map = new ConcurrentSkipListMap<>();
    private final org.apache.kafka.streams.query.Position position = org.apache.kafka.streams.query.Position.emptyPosition();
    private volatile boolean open;

    @Override
    public org.apache.kafka.streams.query.Position getPosition() {
      return position;
    }

    Store(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
      context.register(root, (key, value) -> {
        if (value == null) map.remove(Bytes.wrap(key));
        else map.put(Bytes.wrap(key), value);
      });
      open = true;
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
      open = false;
    }

    @Override
    public boolean persistent() {
      return false;
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void put(Bytes key, byte[] value) {
      if (value == null) map.remove(key);
      else map.put(key, value);
    }

    @Override
    public byte[] putIfAbsent(Bytes key, byte[] value) {
      byte[] old = map.get(key);
      if (old == null) put(key, value);
      return old;
    }

    @Override
    public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
      entries.forEach(kv -> put(kv.key, kv.value));
    }

    @Override
    public byte[] delete(Bytes key) {
      return map.remove(key);
    }

    @Override
    public byte[] get(Bytes key) {
      return map.get(key);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
      return iterator(from == null ? map : to == null ? map.tailMap(from, true) : map.subMap(from, true, to, true));
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
      return iterator(((NavigableMap<Bytes, byte[]>) range0(from, to)).descendingMap());
    }

    private Map<Bytes, byte[]> range0(Bytes from, Bytes to) {
      return from == null ? map : to == null ? map.tailMap(from, true) : map.subMap(from, true, to, true);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
      return iterator(map);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseAll() {
      return iterator(map.descendingMap());
    }

    @Override
    public long approximateNumEntries() {
      return map.size();
    }

    private static KeyValueIterator<Bytes, byte[]> iterator(Map<Bytes, byte[]> view) {
      Iterator<Map.Entry<Bytes, byte[]>> it = view.entrySet().iterator();
      return new KeyValueIterator<>() {
        private Map.Entry<Bytes, byte[]> peeked;

        @Override
        public boolean hasNext() {
          return peeked != null || it.hasNext();
        }

        @Override
        public KeyValue<Bytes, byte[]> next() {
          Map.Entry<Bytes, byte[]> e = peeked != null ? peeked : it.next();
          peeked = null;
          return KeyValue.pair(e.getKey(), e.getValue());
        }

        @Override
        public Bytes peekNextKey() {
          if (peeked == null) peeked = it.next();
          return peeked.getKey();
        }

        @Override
        public void close() {}
      };
    }
  }
}
