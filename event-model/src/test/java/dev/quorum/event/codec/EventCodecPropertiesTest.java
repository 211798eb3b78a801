package dev.quorum.event.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quorum.event.Event;
import dev.quorum.event.testing.EventArbitraries;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/** The codec's contract as properties: exact round trips, and nothing but DecodeException on bad input. */
class EventCodecPropertiesTest {

  @Provide
  Arbitrary<Event> events() {
    return EventArbitraries.events();
  }

  @Property(tries = 2000)
  @Label("decode(encode(e)) equals e, for every type")
  void every_event_round_trips_exactly(@ForAll("events") Event event) {
    Statistics.collect(event.data() instanceof dev.quorum.event.EventData.Unknown ? "(unknown type)" : event.type());

    byte[] json = EventCodec.encode(event);
    Event decoded = EventCodec.decode(json);

    assertThat(decoded).isEqualTo(event);
    assertThat(EventCodec.encode(decoded)).isEqualTo(json);
    assertThat(EventCodec.canonical(decoded)).isEqualTo(EventCodec.canonical(event.unstored()));

    Statistics.coverage(coverage -> {
      for (String type : EventCodec.KNOWN_TYPES) {
        coverage.check(type).percentage(p -> p >= 1.0);
      }
      coverage.check("(unknown type)").percentage(p -> p >= 1.0);
    });
  }

  @Property(tries = 1000)
  @Label("the streamed encoding is the tree's, byte for byte")
  void the_streamed_encoding_is_the_trees_byte_for_byte(@ForAll("events") Event event) throws Exception {
    byte[] fromTree = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(EventCodec.toTree(event));

    assertThat(EventCodec.encode(event)).isEqualTo(fromTree);
  }

  @Property(tries = 1000)
  @Label("encoding with the data text written for the log gives the same bytes")
  void encoding_with_the_logs_data_text_is_byte_for_byte_the_same(@ForAll("events") Event event) {
    net.jqwik.api.Assume.that(!(event.data() instanceof dev.quorum.event.EventData.Unknown));

    assertThat(EventCodec.encode(event, EventCodec.dataJson(event.data()))).isEqualTo(EventCodec.encode(event));
  }

  @Property(tries = 1000)
  @Label("arbitrary bytes decode or throw DecodeException, nothing else")
  void arbitrary_bytes_throw_nothing_but_decode_exception(@ForAll byte[] bytes) {
    decodeOrDecodeException(bytes);
  }

  @Property(tries = 1000)
  @Label("arbitrary strings decode or throw DecodeException, nothing else")
  void arbitrary_strings_throw_nothing_but_decode_exception(@ForAll String text) {
    decodeOrDecodeException(text.getBytes(StandardCharsets.UTF_8));
  }

  @Property(tries = 3000)
  @Label("mutated valid events decode or throw DecodeException, nothing else")
  void mutated_events_throw_nothing_but_decode_exception(@ForAll("events") Event event, @ForAll long seed) {
    Random random = new Random(seed);
    ObjectNode tree = EventCodec.toTree(event);
    String mutation = mutate(tree, random);
    Statistics.collect(mutation);

    byte[] bytes = mutation.equals("truncate")
        ? truncate(EventCodec.encode(event), random)
        : tree.toString().getBytes(StandardCharsets.UTF_8);
    decodeOrDecodeException(bytes);
  }

  private static void decodeOrDecodeException(byte[] bytes) {
    try {
      Event decoded = EventCodec.decode(bytes);
      // whatever decodes must encode and decode again to itself
      assertThat(EventCodec.decode(EventCodec.encode(decoded))).isEqualTo(decoded);
    } catch (DecodeException expected) {
      assertThat(expected.path()).startsWith("$");
      assertThat(expected.reason()).isNotBlank();
    }
  }

  private static byte[] truncate(byte[] json, Random random) {
    return java.util.Arrays.copyOf(json, random.nextInt(json.length));
  }

  /** Applies one random mutation to a random member of the tree and says which kind. */
  private static String mutate(ObjectNode root, Random random) {
    List<ObjectNode> objects = new ArrayList<>();
    collectObjects(root, objects);
    ObjectNode target = objects.get(random.nextInt(objects.size()));
    List<String> names = new ArrayList<>();
    target.fieldNames().forEachRemaining(names::add);
    String[] kinds = {"remove", "null", "number", "string", "boolean", "array", "object", "long-string", "truncate", "bad-time", "bad-uuid"};
    String kind = kinds[random.nextInt(kinds.length)];
    if (names.isEmpty()) {
      target.put("unexpected", 1);
      return "add-to-empty";
    }
    String name = names.get(random.nextInt(names.size()));
    switch (kind) {
      case "remove" -> target.remove(name);
      case "null" -> target.putNull(name);
      case "number" -> target.put(name, random.nextLong());
      case "string" -> target.put(name, Long.toHexString(random.nextLong()));
      case "boolean" -> target.put(name, random.nextBoolean());
      case "array" -> target.putArray(name).add(1).add("x");
      case "object" -> target.putObject(name).put("k", "v");
      case "long-string" -> target.put(name, "x".repeat(20_000));
      case "bad-time" -> target.put(name, "2026-13-45T25:61:00Z");
      case "bad-uuid" -> target.put(name, "0192f7c4-1c2d-4e5f-8a9b-0c1d2e3f4a5");
      default -> { }
    }
    return kind;
  }

  private static void collectObjects(JsonNode node, List<ObjectNode> into) {
    if (node instanceof ObjectNode object) {
      into.add(object);
      for (Iterator<JsonNode> it = object.elements(); it.hasNext(); ) collectObjects(it.next(), into);
    }
  }
}
