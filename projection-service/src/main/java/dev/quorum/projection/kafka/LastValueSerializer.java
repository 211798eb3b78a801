package dev.quorum.projection.kafka;

import java.util.Objects;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A serializer that remembers, per thread, the last value it wrote and its bytes: asked again for that
 * very instance (values are immutable records), it returns the same bytes without writing them again.
 * One store serde serves every task of every stream thread, hence one memory per thread.
 */
final class LastValueSerializer<T> implements Serializer<T> {
  private final Serializer<T> inner;
  private final ThreadLocal<Last> last = ThreadLocal.withInitial(Last::new);

  LastValueSerializer(Serializer<T> inner) {
    this.inner = Objects.requireNonNull(inner, "inner");
  }

  private static final class Last {
    Object value;
    byte[] bytes;
  }

  @Override
  public byte[] serialize(String topic, T value) {
    if (value == null) return null;
    Last memory = last.get();
    if (memory.value == value) return memory.bytes;
    byte[] bytes = inner.serialize(topic, value);
    memory.value = value;
    memory.bytes = bytes;
    return bytes;
  }
}
