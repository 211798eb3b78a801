package dev.quorum.event.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The streaming encoder writes the bytes Jackson's UTF-8 generator writes for the same object, for any
 * text: escapes, multi-byte characters, surrogate pairs and lone surrogates, at any position (the ASCII
 * run the fast path copies ends anywhere).
 */
class JsonOutPropertiesTest {
  private static final JsonMapper JACKSON = JsonMapper.builder().build();

  @Provide
  Arbitrary<String> text() {
    Arbitrary<Character> one = Arbitraries.frequencyOf(
        Tuple.of(30, Arbitraries.chars().range(' ', '~')),
        Tuple.of(5, Arbitraries.of('"', '\\', '/', '\u007f')),
        Tuple.of(5, Arbitraries.chars().range('\u0000', '\u001f')),
        Tuple.of(5, Arbitraries.chars().range('\u0080', '\u07ff')),
        Tuple.of(5, Arbitraries.chars().range('\u0800', '\uffff')),
        Tuple.of(3, Arbitraries.chars().range('\ud800', '\udfff')),
        Tuple.of(3, Arbitraries.of('\u2028', '\u2029', '\ufeff', '\uffff')));
    Arbitrary<String> mixed = one.list().ofMaxSize(60).map(JsonOutPropertiesTest::join);
    Arbitrary<String> pairs = Arbitraries.integers().between(0x10000, 0x10FFFF).list().ofMaxSize(5)
        .map(points -> points.stream().map(Character::toString).reduce("", String::concat));
    return Arbitraries.oneOf(mixed, pairs, Arbitraries.strings().ofMaxLength(40));
  }

  private static String join(java.util.List<Character> chars) {
    StringBuilder text = new StringBuilder(chars.size());
    chars.forEach(text::append);
    return text.toString();
  }

  @Property(tries = 5_000)
  @Label("a field of any text is written as Jackson writes it")
  void text_as_jackson(@ForAll("text") String name, @ForAll("text") String value, @ForAll long number) {
    JsonOut out = new JsonOut(8);
    out.startObject();
    out.name(name);
    out.string(value);
    out.name("n");
    out.number(number);
    out.name("inner");
    out.startObject();
    out.name(value);
    out.string(name);
    out.endObject();
    out.name("raw");
    out.raw("{\"a\":[1,2]}".getBytes(StandardCharsets.UTF_8));
    out.endObject();

    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    try (JsonGenerator generator = JACKSON.getFactory().createGenerator(expected)) {
      generator.writeStartObject();
      generator.writeStringField(name, value);
      generator.writeNumberField("n", number);
      generator.writeObjectFieldStart("inner");
      generator.writeStringField(value, name);
      generator.writeEndObject();
      generator.writeFieldName("raw");
      generator.writeRawValue("{\"a\":[1,2]}");
      generator.writeEndObject();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    assertThat(new String(out.toByteArray(), StandardCharsets.ISO_8859_1))
        .isEqualTo(new String(expected.toByteArray(), StandardCharsets.ISO_8859_1));
  }

  @Example
  @Label("an empty object, an empty name and a long text past the first buffer")
  void edges() {
    JsonOut out = new JsonOut(0);
    out.startObject();
    out.endObject();
    assertThat(new String(out.toByteArray(), StandardCharsets.UTF_8)).isEqualTo("{}");

    String longText = "é\n".repeat(5_000) + "x".repeat(10_000);
    JsonOut big = new JsonOut(16);
    big.startObject();
    big.name("");
    big.string(longText);
    big.endObject();
    assertThat(JACKSON.convertValue(parse(big.toByteArray()), Map.class)).isEqualTo(Map.of("", longText));
  }

  @Example
  @Label("the reused buffer: a write inside a write, a failed write and a value larger than what is kept")
  void reused_buffer() {
    byte[] outer = JsonOut.write(out -> {
      out.startObject();
      out.name("inner");
      out.raw(JsonOut.write(inner -> {
        inner.startObject();
        inner.name("a");
        inner.number(1);
        inner.endObject();
      }));
      out.endObject();
    });
    assertThat(new String(outer, StandardCharsets.UTF_8)).isEqualTo("{\"inner\":{\"a\":1}}");

    try {
      JsonOut.write(out -> {
        out.startObject();
        throw new IllegalStateException("half written");
      });
    } catch (IllegalStateException expected) {
      // the next write starts empty
    }
    String large = "x".repeat(600_000);
    byte[] big = JsonOut.write(out -> {
      out.startObject();
      out.name("v");
      out.string(large);
      out.endObject();
    });
    assertThat(big).hasSize(large.length() + 8);
    byte[] small = JsonOut.write(out -> {
      out.startObject();
      out.endObject();
    });
    assertThat(new String(small, StandardCharsets.UTF_8)).isEqualTo("{}");
  }

  private static com.fasterxml.jackson.databind.JsonNode parse(byte[] json) {
    try {
      return JACKSON.readTree(json);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
