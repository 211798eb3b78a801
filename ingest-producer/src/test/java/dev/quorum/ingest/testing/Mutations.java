package dev.quorum.ingest.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Mutates real request bodies the way broken or hostile senders do: fields removed, retyped, renamed or
 * added deep in the tree, strings stretched or broken, bytes truncated, flipped or injected, and whole
 * bodies replaced by something else. Deterministic for a seed, so a failing case can be replayed.
 */
public final class Mutations {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final List<String> ODD_TEXT = List.of("", " ", "\t\n", "null", "0", "-1", "firing", "resolved", "trigger",
      "acknowledge", "resolve", "critical", "sev1", "4", "3", "1.0", "quorum.incident.acknowledged", "quorum.alert.fired",
      "quorum.no.such.type", "2026-06-15T02:14:07Z", "0001-01-01T00:00:00Z", "2026-13-45T99:99:99Z", "yesterday",
      "8d0c5a3e-1f2b-4c3d-9e8f-0a1b2c3d4e5f", "8d0c5a3e-1f2b-4c3d-9e8f-0a1b2c3d4e5", "{}", "[]", "\u0000", "\ud800",
      "\ud83d\ude00 emoji", "e\u0301", "\u202e right-to-left", "<script>alert(1)</script>", "'; DROP TABLE incident_event; --",
      "%00%ff", "..\\..\\etc\\passwd", "samplekeyhere");

  private Mutations() {}

  /** A JSON body mutated by one of the strategies, chosen by the seed. */
  public static byte[] json(byte[] sample, long seed) {
    Random random = new Random(seed);
    int strategy = random.nextInt(100);
    if (strategy < 10) return sample;
    if (strategy < 55) return structural(sample, random, 1 + random.nextInt(3));
    if (strategy < 90) return bytes(random.nextBoolean() ? sample : structural(sample, random, 1), random);
    return replacement(random);
  }

  /** A form body mutated in its fields, values or bytes. */
  public static String form(List<Map.Entry<String, String>> fields, Random random) {
    List<Map.Entry<String, String>> mutated = new ArrayList<>(fields);
    int strategy = random.nextInt(100);
    if (strategy >= 50) {
      for (int i = 1 + random.nextInt(2); i > 0 && !mutated.isEmpty(); i--) {
        int at = random.nextInt(mutated.size());
        switch (random.nextInt(5)) {
          case 0 -> mutated.remove(at);
          case 1 -> mutated.add(Map.entry(mutated.get(at).getKey(), text(random)));
          case 2 -> mutated.set(at, Map.entry(mutated.get(at).getKey(), text(random)));
          case 3 -> mutated.set(at, Map.entry(text(random), mutated.get(at).getValue()));
          default -> mutated.set(at, Map.entry(mutated.get(at).getKey(), mutated.get(at).getValue() + text(random)));
        }
      }
    }
    StringBuilder body = new StringBuilder();
    for (Map.Entry<String, String> field : mutated) {
      if (!body.isEmpty()) body.append('&');
      body.append(java.net.URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8)).append('=')
          .append(java.net.URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8));
    }
    if (strategy < 10) {
      // broken escapes and separators, as a hand-rolled client might send
      String[] junk = {"%", "%z", "%e2%82", "&&", "==", "+", "%2"};
      body.insert(random.nextInt(body.length() + 1), junk[random.nextInt(junk.length)]);
    }
    return body.toString();
  }

  /** A random piece of text from the odd cases, random unicode, or a long run. */
  public static String text(Random random) {
    return switch (random.nextInt(4)) {
      case 0, 1 -> ODD_TEXT.get(random.nextInt(ODD_TEXT.size()));
      case 2 -> {
        StringBuilder s = new StringBuilder();
        for (int i = random.nextInt(20); i >= 0; i--) s.appendCodePoint(random.nextInt(0x2FFFF));
        yield s.toString();
      }
      default -> "x".repeat(random.nextInt(20_000));
    };
  }

  private static byte[] structural(byte[] sample, Random random, int times) {
    JsonNode tree;
    try {
      tree = JSON.readTree(sample);
    } catch (IOException e) {
      return sample;
    }
    for (int i = 0; i < times; i++) tree = mutate(tree, random);
    try {
      return JSON.writeValueAsBytes(tree);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode mutate(JsonNode root, Random random) {
    List<JsonNode> containers = new ArrayList<>();
    collect(root, containers);
    if (containers.isEmpty()) return randomValue(random, 2);
    JsonNode target = containers.get(random.nextInt(containers.size()));
    if (target instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      String name = names.isEmpty() ? "extra" : names.get(random.nextInt(names.size()));
      switch (random.nextInt(6)) {
        case 0 -> object.remove(name);
        case 1 -> object.set(name, randomValue(random, 2));
        case 2 -> {
          JsonNode value = object.remove(name);
          object.set(name.isEmpty() ? "x" : name.toUpperCase() + (random.nextBoolean() ? "" : "_"), value);
        }
        case 3 -> object.set(text(random), randomValue(random, 1));
        case 4 -> {
          JsonNode value = object.get(name);
          if (value != null && value.isTextual()) object.put(name, stretch(value.textValue(), random));
          else object.set(name, NODES.textNode(text(random)));
        }
        default -> object.set(name, NODES.nullNode());
      }
    } else if (target instanceof ArrayNode array) {
      switch (random.nextInt(4)) {
        case 0 -> { if (!array.isEmpty()) array.remove(random.nextInt(array.size())); }
        case 1 -> { if (!array.isEmpty()) array.add(array.get(random.nextInt(array.size())).deepCopy()); }
        case 2 -> array.add(randomValue(random, 2));
        default -> array.removeAll();
      }
    }
    return root;
  }

  private static void collect(JsonNode node, List<JsonNode> containers) {
    if (node.isContainerNode()) {
      containers.add(node);
      for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) collect(it.next(), containers);
    }
  }

  private static String stretch(String text, Random random) {
    return switch (random.nextInt(5)) {
      case 0 -> text.isEmpty() ? "" : text.substring(0, random.nextInt(text.length()));
      case 1 -> text + text(random);
      case 2 -> text.toUpperCase();
      case 3 -> " " + text + " ";
      default -> text.repeat(2 + random.nextInt(300));
    };
  }

  private static JsonNode randomValue(Random random, int depth) {
    int kind = random.nextInt(depth > 0 ? 9 : 7);
    return switch (kind) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.booleanNode(random.nextBoolean());
      case 2 -> NODES.numberNode(random.nextInt());
      case 3 -> NODES.numberNode(new java.math.BigDecimal("1e" + random.nextInt(400)));
      case 4 -> NODES.numberNode(-random.nextDouble());
      case 5, 6 -> NODES.textNode(text(random));
      case 7 -> {
        ArrayNode array = NODES.arrayNode();
        for (int i = random.nextInt(3); i > 0; i--) array.add(randomValue(random, depth - 1));
        yield array;
      }
      default -> {
        ObjectNode object = NODES.objectNode();
        for (int i = random.nextInt(3); i > 0; i--) object.set(text(random), randomValue(random, depth - 1));
        yield object;
      }
    };
  }

  private static byte[] bytes(byte[] body, Random random) {
    byte[] result = body;
    for (int i = 1 + random.nextInt(3); i > 0; i--) {
      int at = result.length == 0 ? 0 : random.nextInt(result.length);
      result = switch (random.nextInt(6)) {
        case 0 -> Arrays.copyOf(result, at);
        case 1 -> {
          byte[] flipped = result.clone();
          if (flipped.length > 0) flipped[at] ^= (byte) (1 << random.nextInt(8));
          yield flipped;
        }
        case 2 -> splice(result, at, randomBytes(random, 1 + random.nextInt(8)));
        case 3 -> splice(result, at, new byte[] {(byte) 0xC3}); // half of a UTF-8 sequence
        case 4 -> splice(result, at, "\"a\":1,\"a\":2,".getBytes(StandardCharsets.UTF_8));
        default -> {
          int end = Math.min(result.length, at + random.nextInt(16));
          byte[] cut = new byte[result.length - (end - at)];
          System.arraycopy(result, 0, cut, 0, at);
          System.arraycopy(result, end, cut, at, result.length - end);
          yield cut;
        }
      };
    }
    return result;
  }

  private static byte[] replacement(Random random) {
    String[] bodies = {"", "null", "[]", "{}", "42", "\"x\"", "[{}]", "{\"a\":", "\ufeff{}", "{}{}", "[" + "[".repeat(2000)};
    if (random.nextInt(4) == 0) return randomBytes(random, random.nextInt(512));
    return bodies[random.nextInt(bodies.length)].getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] splice(byte[] body, int at, byte[] inserted) {
    byte[] result = new byte[body.length + inserted.length];
    System.arraycopy(body, 0, result, 0, at);
    System.arraycopy(inserted, 0, result, at, inserted.length);
    System.arraycopy(body, at, result, at + inserted.length, body.length - at);
    return result;
  }

  private static byte[] randomBytes(Random random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }
}
