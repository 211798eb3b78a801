package dev.quorum.event.codec;

import static dev.quorum.event.Limits.LONG_TEXT;
import static dev.quorum.event.Limits.SHORT_TEXT;
import static dev.quorum.event.Limits.TITLE;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quorum.event.Event;
import dev.quorum.event.EventData;
import dev.quorum.event.EventData.AlertFired;
import dev.quorum.event.EventData.AlertResolved;
import dev.quorum.event.EventData.EscalationReason;
import dev.quorum.event.EventData.FollowupCompleted;
import dev.quorum.event.EventData.FollowupCreated;
import dev.quorum.event.EventData.IncidentAcknowledged;
import dev.quorum.event.EventData.IncidentClosed;
import dev.quorum.event.EventData.IncidentEscalated;
import dev.quorum.event.EventData.IncidentMerged;
import dev.quorum.event.EventData.IncidentMitigated;
import dev.quorum.event.EventData.IncidentReopened;
import dev.quorum.event.EventData.IncidentResolved;
import dev.quorum.event.EventData.IncidentTriggered;
import dev.quorum.event.EventData.IncidentUnacknowledged;
import dev.quorum.event.EventData.NoteAdded;
import dev.quorum.event.EventData.ResponderAssigned;
import dev.quorum.event.EventData.ResponderUnassigned;
import dev.quorum.event.EventData.RoleAssigned;
import dev.quorum.event.EventData.SeverityChanged;
import dev.quorum.event.EventData.UnackReason;
import dev.quorum.event.EventData.Unknown;
import dev.quorum.event.Limits;
import dev.quorum.event.Role;
import dev.quorum.event.Severity;
import dev.quorum.event.Stored;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The strict JSON codec of the CloudEvents 1.0 envelope (structured mode) and the v1 catalogue.
 *
 * <p>Decoding rejects anything that is not a valid Quorum event with a {@link DecodeException}
 * naming the JSON path; a well-formed envelope of an unknown type decodes to {@link Unknown}. Times
 * are truncated to microseconds, so {@code decode(encode(e))} equals {@code e}.
 */
public final class EventCodec {
  public static final String SPEC_VERSION = "1.0";
  public static final String CONTENT_TYPE = "application/json";
  /** The media type of one event in structured mode. */
  public static final String MEDIA_TYPE = "application/cloudevents+json";
  /** The media type of a CloudEvents JSON batch. */
  public static final String BATCH_MEDIA_TYPE = "application/cloudevents-batch+json";

  /** Envelope attributes the pipeline adds at first store; not part of an event's content. */
  public static final Set<String> PIPELINE_ATTRIBUTES =
      Set.of("ingestedat", "recordedat", "sourcepartition", "sourceoffset");

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          // duplicate keys are refused as the tree is built (the object's own map finds them): the parser's
          // STRICT_DUPLICATE_DETECTION kept a second set of names per object, a tenth of decoding an event
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private EventCodec() {}

  // ---------------------------------------------------------------- decode

  /** Decodes one event in structured mode. */
  public static Event decode(byte[] json) {
    if (json == null) throw new DecodeException("$", "is required (the record has no value)");
    if (json.length > Limits.MAX_EVENT_BYTES) {
      throw new DecodeException("$", "an event is at most " + Limits.MAX_EVENT_BYTES + " bytes, this one " + json.length);
    }
    // Valid UTF-8 holds no NUL and no surrogate: only a backslash-u escape can decode to text the log cannot store.
    boolean escapes = Utf8.requireJsonText(json);
    return fromTree(readTree(json), "$", escapes);
  }

  public static Event decode(String json) {
    if (json == null) throw new DecodeException("$", "is required (the record has no value)");
    return decode(json.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Decodes a CloudEvents JSON batch (an array of structured events); paths name the element, e.g.
   * {@code $[2].data.title}.
   */
  public static List<Event> decodeBatch(byte[] json, int maxEvents) {
    JsonNode tree = parse(json);
    if (!tree.isArray()) throw new DecodeException("$", "a batch must be a JSON array, was " + Fields.kind(tree));
    if (tree.isEmpty()) throw new DecodeException("$", "a batch must hold at least one event");
    if (tree.size() > maxEvents) {
      throw new DecodeException("$", "a batch holds at most " + maxEvents + " events, this one " + tree.size());
    }
    List<Event> events = new ArrayList<>(tree.size());
    for (int i = 0; i < tree.size(); i++) {
      events.add(fromTree(tree.get(i), "$[" + i + "]"));
    }
    return events;
  }

  /**
   * Parses JSON with the codec's strict settings: UTF-8 only (RFC 8259 §8.1), no duplicate keys, no
   * trailing tokens. Whatever the parser throws is a {@link DecodeException}: no input is anything else.
   */
  public static JsonNode parse(byte[] json) {
    if (json == null) throw new DecodeException("$", "is required (the record has no value)");
    Utf8.requireJsonText(json);
    return readTree(json);
  }

  /** Parses text that {@link Utf8#requireJsonText} accepted. */
  private static JsonNode readTree(byte[] json) {
    JsonNode tree;
    try {
      tree = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new DecodeException("$", "malformed JSON: " + withoutInternals(e.getOriginalMessage()), e);
    } catch (IOException | RuntimeException e) {
      throw new DecodeException("$", "unreadable JSON: " + e, e);
    }
    if (tree == null || tree.isMissingNode()) throw new DecodeException("$", "is empty");
    return tree;
  }

  /** The parser's message without the names of its own classes and settings, which mean nothing to a sender. */
  private static String withoutInternals(String message) {
    int internals = message == null ? -1 : message.indexOf(" for `ObjectNode`");
    return message != null && message.startsWith("Duplicate field") && internals > 0
        ? message.substring(0, internals) + ": a name appears at most once in an object"
        : message;
  }

  /** How a JSON value is named in error messages: "a string", "an array", "null"... */
  public static String kind(JsonNode node) {
    return Fields.kind(node);
  }

  public static Event fromTree(JsonNode tree) {
    return fromTree(tree, "$");
  }

  private static Event fromTree(JsonNode tree, String root) {
    return fromTree(tree, root, true);
  }

  /**
   * @param unstorable whether a string of the tree may hold what the log cannot store (a NUL or a lone
   *     surrogate): false only for a tree parsed from UTF-8 without a backslash-u escape
   */
  private static Event fromTree(JsonNode tree, String root, boolean unstorable) {
    Fields envelope = Fields.of(tree, root, unstorable);
    envelope.exact("specversion", SPEC_VERSION);
    UUID id = envelope.uuid("id");
    String source = envelope.text("source", SHORT_TEXT);
    String type = envelope.text("type", SHORT_TEXT);
    UUID incidentId = envelope.uuid("subject");
    Instant occurredAt = envelope.instant("time");
    String contentType = envelope.optText("datacontenttype", 128);
    if (contentType != null && !contentType.toLowerCase(Locale.ROOT).startsWith(CONTENT_TYPE)) {
      throw new DecodeException(envelope.path("datacontenttype"), "must be " + CONTENT_TYPE + ", was \"" + contentType + "\"");
    }
    String actor = envelope.text("actor", SHORT_TEXT);
    String principal = envelope.optText("principal", SHORT_TEXT);
    Stored stored = stored(envelope);
    EventData data = data(type, envelope);
    return new Event(id, source, incidentId, occurredAt, actor, principal, data, stored);
  }

  private static Stored stored(Fields envelope) {
    int present = 0;
    for (String attribute : PIPELINE_ATTRIBUTES) {
      if (envelope.has(attribute)) present++;
    }
    if (present == 0) return null;
    if (present != PIPELINE_ATTRIBUTES.size()) {
      throw new DecodeException(
          envelope.path("ingestedat"),
          "ingestedat, recordedat, sourcepartition and sourceoffset come together or not at all");
    }
    return new Stored(
        envelope.instant("ingestedat"),
        envelope.instant("recordedat"),
        envelope.integer("sourcepartition", 0, Integer.MAX_VALUE),
        envelope.longInteger("sourceoffset", 0));
  }

  private static EventData data(String type, Fields envelope) {
    if (!type.startsWith(EventData.PREFIX) || !KNOWN_TYPES.contains(type)) {
      // kept verbatim and stored: every string and name in it must be storable
      JsonNode data = envelope.raw("data");
      if (envelope.checksStorable()) StorableText.require(data, envelope.path("data"));
      return new Unknown(type, data);
    }
    Fields d = envelope.object("data");
    return switch (type) {
      case IncidentTriggered.TYPE -> new IncidentTriggered(
          d.text("title", TITLE), d.optText("service", SHORT_TEXT),
          d.optEnum("severity", Severity.class), d.optText("description", LONG_TEXT));
      case AlertFired.TYPE -> new AlertFired(
          d.text("fingerprint", SHORT_TEXT), d.text("title", TITLE), d.optText("service", SHORT_TEXT),
          d.optEnum("severity", Severity.class),
          d.stringMap("labels", Limits.MAX_LABELS, SHORT_TEXT, TITLE));
      case AlertResolved.TYPE -> new AlertResolved(d.text("fingerprint", SHORT_TEXT));
      case IncidentAcknowledged.TYPE -> new IncidentAcknowledged();
      case IncidentUnacknowledged.TYPE -> new IncidentUnacknowledged(d.enumValue("reason", UnackReason.class));
      case IncidentMitigated.TYPE -> new IncidentMitigated(d.optText("note", LONG_TEXT));
      case IncidentResolved.TYPE -> new IncidentResolved(d.optText("resolution", LONG_TEXT));
      case IncidentReopened.TYPE -> new IncidentReopened(d.optText("reason", LONG_TEXT));
      case IncidentClosed.TYPE -> new IncidentClosed();
      case IncidentMerged.TYPE -> new IncidentMerged(d.uuid("into"));
      case IncidentEscalated.TYPE -> new IncidentEscalated(
          d.integer("level", 1, Limits.MAX_ESCALATION_LEVEL), d.text("target", SHORT_TEXT),
          d.enumValue("reason", EscalationReason.class));
      case ResponderAssigned.TYPE -> new ResponderAssigned(d.text("responder", SHORT_TEXT));
      case ResponderUnassigned.TYPE -> new ResponderUnassigned(d.text("responder", SHORT_TEXT));
      case RoleAssigned.TYPE -> new RoleAssigned(d.enumValue("role", Role.class), d.text("responder", SHORT_TEXT));
      case SeverityChanged.TYPE -> new SeverityChanged(d.enumValue("severity", Severity.class));
      case NoteAdded.TYPE -> new NoteAdded(d.text("text", LONG_TEXT));
      case FollowupCreated.TYPE -> new FollowupCreated(
          d.text("followupId", SHORT_TEXT), d.text("title", TITLE), d.optText("owner", SHORT_TEXT));
      case FollowupCompleted.TYPE -> new FollowupCompleted(d.text("followupId", SHORT_TEXT));
      default -> throw new IllegalStateException("known type without a decoder: " + type);
    };
  }

  /** Every type of the v1 catalogue. */
  public static final Set<String> KNOWN_TYPES = EventData.knownTypes();

  // ---------------------------------------------------------------- encode

  /** Encodes one event in structured mode, streaming it (no tree in between). */
  public static byte[] encode(Event event) {
    return encode(event, null);
  }

  /**
   * Encodes one event whose {@code data} member was already written out as {@code dataJson} (what
   * {@link #dataJson} gives for this event's data, UTF-8; null: write it here): the same bytes as {@link
   * #encode(Event)}, without writing the payload twice. The writer stores those bytes and publishes the
   * stored event.
   *
   * @throws IllegalArgumentException when {@code dataJson} is given for an unknown type's data
   */
  public static byte[] encode(Event event, byte[] dataJson) {
    if (dataJson != null && event.data() instanceof Unknown) {
      throw new IllegalArgumentException("an unknown type's data is written from its tree: " + event.type());
    }
    return JsonOut.write(out -> {
      out.startObject();
      envelope(event, dataJson, new OutSink(out));
      out.endObject();
    });
  }

  public static String encodeToString(Event event) {
    return new String(encode(event), StandardCharsets.UTF_8);
  }

  /** Encodes events as a CloudEvents JSON batch. */
  public static byte[] encodeBatch(List<Event> events) {
    ArrayNode array = NODES.arrayNode();
    events.forEach(e -> array.add(toTree(e)));
    return write(array);
  }

  /** The structured-mode envelope as a JSON tree. */
  public static ObjectNode toTree(Event event) {
    ObjectNode node = NODES.objectNode();
    envelope(event, null, new TreeSink(node));
    return node;
  }

  /** The {@code data} member alone, as stored in the event log; null for an unknown type without data. */
  public static JsonNode dataTree(EventData data) {
    if (data instanceof Unknown u) return u.data() == null ? null : u.data().deepCopy();
    ObjectNode d = NODES.objectNode();
    data(data, new TreeSink(d));
    return d;
  }

  /**
   * The {@code data} member alone as JSON text, as the event log stores it: {@code dataTree(data)}
   * written out, without the tree; null for an unknown type without data.
   */
  public static String dataText(EventData data) {
    byte[] json = dataJson(data);
    return json == null ? null : new String(json, StandardCharsets.UTF_8);
  }

  /**
   * {@link #dataText} as UTF-8, written as such: the form the database and the committed record take, so
   * that neither encodes the text again.
   */
  public static byte[] dataJson(EventData data) {
    if (data instanceof Unknown u) return u.data() == null ? null : u.data().toString().getBytes(StandardCharsets.UTF_8);
    return JsonOut.write(out -> {
      out.startObject();
      data(data, new OutSink(out));
      out.endObject();
    });
  }

  /**
   * Where the encoder puts fields: a tree or a stream. The one description of the wire form below
   * writes to either, so that both always agree field for field and in order.
   */
  private interface Sink {
    /** Writes a text field; a null value is left out. */
    void text(String name, String value);

    void integer(String name, int value);

    void number(String name, long value);

    void labels(String name, Map<String, String> labels);

    void tree(String name, JsonNode value);

    /** Writes an object field whose members {@code members} writes. */
    void object(String name, java.util.function.Consumer<Sink> members);

    /** Writes a field whose value is JSON text this codec wrote, in UTF-8. */
    void written(String name, byte[] json);
  }

  private static void envelope(Event event, byte[] dataJson, Sink out) {
    out.text("specversion", SPEC_VERSION);
    out.text("id", event.id().toString());
    out.text("source", event.source());
    out.text("type", event.type());
    out.text("subject", event.incidentId().toString());
    out.text("time", Rfc3339.format(event.occurredAt()));
    out.text("datacontenttype", CONTENT_TYPE);
    out.text("actor", event.actor());
    out.text("principal", event.principal());
    Stored stored = event.stored();
    if (stored != null) {
      out.text("ingestedat", Rfc3339.format(stored.ingestedAt()));
      out.text("recordedat", Rfc3339.format(stored.recordedAt()));
      out.integer("sourcepartition", stored.partition());
      out.number("sourceoffset", stored.offset());
    }
    if (event.data() instanceof Unknown u) {
      if (u.data() != null) out.tree("data", u.data());
    } else if (dataJson != null) {
      out.written("data", dataJson);
    } else {
      out.object("data", d -> data(event.data(), d));
    }
  }

  /** The members of a known type's {@code data}. */
  private static void data(EventData data, Sink d) {
    switch (data) {
      case IncidentTriggered t -> {
        d.text("title", t.title());
        d.text("service", t.service());
        d.text("severity", t.severity() == null ? null : t.severity().wire());
        d.text("description", t.description());
      }
      case AlertFired a -> {
        d.text("fingerprint", a.fingerprint());
        d.text("title", a.title());
        d.text("service", a.service());
        d.text("severity", a.severity() == null ? null : a.severity().wire());
        if (!a.labels().isEmpty()) d.labels("labels", a.labels());
      }
      case AlertResolved r -> d.text("fingerprint", r.fingerprint());
      case IncidentAcknowledged ignored -> { }
      case IncidentUnacknowledged u -> d.text("reason", wire(u.reason()));
      case IncidentMitigated m -> d.text("note", m.note());
      case IncidentResolved r -> d.text("resolution", r.resolution());
      case IncidentReopened r -> d.text("reason", r.reason());
      case IncidentClosed ignored -> { }
      case IncidentMerged m -> d.text("into", m.into().toString());
      case IncidentEscalated e -> {
        d.integer("level", e.level());
        d.text("target", e.target());
        d.text("reason", wire(e.reason()));
      }
      case ResponderAssigned a -> d.text("responder", a.responder());
      case ResponderUnassigned u -> d.text("responder", u.responder());
      case RoleAssigned r -> {
        d.text("role", r.role().wire());
        d.text("responder", r.responder());
      }
      case SeverityChanged s -> d.text("severity", s.severity().wire());
      case NoteAdded n -> d.text("text", n.text());
      case FollowupCreated f -> {
        d.text("followupId", f.followupId());
        d.text("title", f.title());
        d.text("owner", f.owner());
      }
      case FollowupCompleted f -> d.text("followupId", f.followupId());
      case Unknown u -> throw new IllegalArgumentException("an unknown type's data is written as it came: " + u.type());
    }
  }

  private record TreeSink(ObjectNode node) implements Sink {
    @Override
    public void text(String name, String value) {
      if (value != null) node.put(name, value);
    }

    @Override
    public void integer(String name, int value) {
      node.put(name, value);
    }

    @Override
    public void number(String name, long value) {
      node.put(name, value);
    }

    @Override
    public void labels(String name, Map<String, String> labels) {
      ObjectNode object = node.putObject(name);
      labels.forEach(object::put);
    }

    @Override
    public void tree(String name, JsonNode value) {
      node.set(name, value.deepCopy());
    }

    @Override
    public void object(String name, java.util.function.Consumer<Sink> members) {
      members.accept(new TreeSink(node.putObject(name)));
    }

    @Override
    public void written(String name, byte[] json) {
      node.set(name, parse(json));
    }
  }

  /** The streaming form: bytes written as they go (see {@link JsonOut}). */
  private record OutSink(JsonOut out) implements Sink {
    @Override
    public void text(String name, String value) {
      if (value == null) return;
      out.name(name);
      out.string(value);
    }

    @Override
    public void integer(String name, int value) {
      number(name, value);
    }

    @Override
    public void number(String name, long value) {
      out.name(name);
      out.number(value);
    }

    @Override
    public void labels(String name, Map<String, String> labels) {
      object(name, sink -> labels.forEach(sink::text));
    }

    @Override
    public void tree(String name, JsonNode value) {
      out.name(name);
      out.raw(write(value));
    }

    @Override
    public void object(String name, java.util.function.Consumer<Sink> members) {
      out.name(name);
      out.startObject();
      members.accept(this);
      out.endObject();
    }

    @Override
    public void written(String name, byte[] json) {
      out.name(name);
      out.raw(json);
    }
  }

  // ---------------------------------------------------------------- canonical form

  /**
   * The canonical form of an event's content: what the producer sent, without what the pipeline adds
   * (ingestion and storage times, coordinates), keys sorted, no whitespace. Two versions of one event
   * are the same exactly when their canonical forms are equal.
   */
  public static String canonical(Event event) {
    ObjectNode tree = toTree(event.unstored());
    return new String(write(sorted(tree)), StandardCharsets.UTF_8);
  }

  public static boolean sameContent(Event a, Event b) {
    return canonical(a).equals(canonical(b));
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      TreeMap<String, JsonNode> fields = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        fields.put(entry.getKey(), sorted(entry.getValue()));
      }
      ObjectNode copy = NODES.objectNode();
      fields.forEach(copy::set);
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = NODES.arrayNode();
      node.forEach(element -> copy.add(sorted(element)));
      return copy;
    }
    return node;
  }

  // ---------------------------------------------------------------- helpers

  private static String wire(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  private static byte[] write(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }
}
