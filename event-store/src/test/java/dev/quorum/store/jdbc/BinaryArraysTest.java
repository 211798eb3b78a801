package dev.quorum.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BinaryArraysTest {

  @Test
  void a_text_array_is_its_header_then_each_value_with_its_length_and_a_null_as_length_minus_one() {
    byte[] tokyo = "東京".getBytes(StandardCharsets.UTF_8);
    ByteBuffer array = ByteBuffer.wrap(BinaryArrays.text(new byte[][] {tokyo, null, new byte[0]}));

    assertThat(array.getInt()).as("dimensions").isEqualTo(1);
    assertThat(array.getInt()).as("has nulls").isEqualTo(1);
    assertThat(array.getInt()).as("element type").isEqualTo(25);
    assertThat(array.getInt()).as("length").isEqualTo(3);
    assertThat(array.getInt()).as("lower bound").isEqualTo(1);
    assertThat(array.getInt()).isEqualTo(tokyo.length);
    byte[] first = new byte[tokyo.length];
    array.get(first);
    assertThat(first).isEqualTo(tokyo);
    assertThat(array.getInt()).as("null").isEqualTo(-1);
    assertThat(array.getInt()).as("empty text").isZero();
    assertThat(array.hasRemaining()).isFalse();
  }

  @Test
  void an_array_without_nulls_says_so_and_an_empty_one_has_no_dimensions() {
    ByteBuffer one = ByteBuffer.wrap(BinaryArrays.text(new byte[][] {{'a'}}));
    one.getInt();
    assertThat(one.getInt()).isZero();

    ByteBuffer empty = ByteBuffer.wrap(BinaryArrays.text(new byte[0][]));
    assertThat(empty.getInt()).isZero();
    assertThat(empty.getInt()).isZero();
    assertThat(empty.getInt()).isEqualTo(25);
    assertThat(empty.hasRemaining()).isFalse();
  }

  @Test
  void int8_and_int4_arrays_hold_each_value_big_endian_with_its_width_and_empty_ones_name_their_element_type() {
    long[] longs = {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1_781_488_800_123_456L};
    ByteBuffer int8 = ByteBuffer.wrap(BinaryArrays.int8(longs));
    assertThat(new int[] {int8.getInt(), int8.getInt(), int8.getInt(), int8.getInt(), int8.getInt()})
        .as("dimensions, nulls, element type, length, lower bound").containsExactly(1, 0, 20, longs.length, 1);
    for (long value : longs) {
      assertThat(int8.getInt()).isEqualTo(Long.BYTES);
      assertThat(int8.getLong()).isEqualTo(value);
    }
    assertThat(int8.hasRemaining()).isFalse();

    int[] ints = {0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 7};
    ByteBuffer int4 = ByteBuffer.wrap(BinaryArrays.int4(ints));
    assertThat(new int[] {int4.getInt(), int4.getInt(), int4.getInt(), int4.getInt(), int4.getInt()})
        .containsExactly(1, 0, 23, ints.length, 1);
    for (int value : ints) {
      assertThat(int4.getInt()).isEqualTo(Integer.BYTES);
      assertThat(int4.getInt()).isEqualTo(value);
    }
    assertThat(int4.hasRemaining()).isFalse();

    for (var empty : java.util.Map.of(20, BinaryArrays.int8(new long[0]), 23, BinaryArrays.int4(new int[0])).entrySet()) {
      ByteBuffer array = ByteBuffer.wrap(empty.getValue());
      assertThat(new int[] {array.getInt(), array.getInt(), array.getInt()}).containsExactly(0, 0, empty.getKey());
      assertThat(array.hasRemaining()).isFalse();
    }
  }

  @Test
  void binding_reads_the_element_type_from_the_header_and_refuses_an_array_made_elsewhere() {
    byte[] notOurs = BinaryArrays.int4(new int[] {1});
    notOurs[11] = 16; // bool
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> BinaryArrays.bind(null, 1, notOurs))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("element type 16");
  }

  @Test
  void text_from_strings_is_their_utf8_with_null_as_null() {
    assertThat(BinaryArrays.text(new String[] {"東京", null, ""}))
        .isEqualTo(BinaryArrays.text(new byte[][] {"東京".getBytes(StandardCharsets.UTF_8), null, new byte[0]}));
  }

  @Test
  void uuids_are_written_as_their_canonical_text_whatever_their_bits() {
    java.util.Random random = new java.util.Random(20261207);
    java.util.UUID[] uuids = new java.util.UUID[2_000];
    for (int i = 0; i < uuids.length; i++) {
      // every bit pattern's digits, the edges included
      uuids[i] = i == 0 ? new java.util.UUID(0, 0) : i == 1 ? new java.util.UUID(-1, -1)
          : new java.util.UUID(random.nextLong(), random.nextLong());
    }
    ByteBuffer array = ByteBuffer.wrap(BinaryArrays.uuidText(uuids));

    assertThat(array.getInt()).isEqualTo(1);
    assertThat(array.getInt()).isZero();
    assertThat(array.getInt()).isEqualTo(25);
    assertThat(array.getInt()).isEqualTo(uuids.length);
    assertThat(array.getInt()).isEqualTo(1);
    for (java.util.UUID uuid : uuids) {
      byte[] text = new byte[array.getInt()];
      array.get(text);
      assertThat(new String(text, StandardCharsets.US_ASCII)).isEqualTo(uuid.toString());
    }
    assertThat(array.hasRemaining()).isFalse();
  }
}
