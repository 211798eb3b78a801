package dev.quorum.event.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quorum.event.Event;
import dev.quorum.event.EventData;
import dev.quorum.event.EventData.IncidentAcknowledged;
import dev.quorum.event.Severity;
import dev.quorum.event.Stored;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EventCodecTest {
  private static final String ACK = """
      {"specversion":"1.0","id":"0192f7c4-1c2d-4e5f-8a9b-0c1d2e3f4a5b","source":"alertmanager/prod-eu",
       "type":"quorum.incident.acknowledged","subject":"8d0c1f2e-3a4b-4c5d-9e6f-7a8b9c0d1e2f",
       "time":"2026-06-15T02:14:07.123456789Z","datacontenttype":"application/json","actor":"user:alice","data":{}}
      """;

  @Test
  void a_valid_envelope_decodes_to_its_typed_event_with_times_truncated_to_microseconds() {
    Event event = EventCodec.decode(ACK);

    assertThat(event.id()).isEqualTo(UUID.fromString("0192f7c4-1c2d-4e5f-8a9b-0c1d2e3f4a5b"));
    assertThat(event.incidentId()).isEqualTo(UUID.fromString("8d0c1f2e-3a4b-4c5d-9e6f-7a8b9c0d1e2f"));
    assertThat(event.data()).isEqualTo(new IncidentAcknowledged());
    assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-06-15T02:14:07.123456Z"));
    assertThat(event.isStored()).isFalse();
  }

  @Test
  void an_offset_time_is_normalised_to_utc() {
    Event event = EventCodec.decode(ACK.replace("2026-06-15T02:14:07.123456789Z", "2026-06-15T04:14:07+02:00"));

    assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-06-15T02:14:07Z"));
  }

  @Test
  void a_stored_event_round_trips_with_its_pipeline_attributes() {
    Event stored = EventCodec.decode(ACK).withStored(
        new Stored(Instant.parse("2026-06-15T02:14:08.000001Z"), Instant.parse("2026-06-15T02:14:08.2Z"), 3, 42));

    String json = EventCodec.encodeToString(stored);

    assertThat(json).contains("\"ingestedat\":\"2026-06-15T02:14:08.000001Z\"", "\"sourcepartition\":3", "\"sourceoffset\":42");
    assertThat(EventCodec.decode(json)).isEqualTo(stored);
  }

  @Test
  void the_canonical_form_ignores_what_the_pipeline_adds_and_key_order() {
    Event sent = EventCodec.decode(ACK);
    Event stored = sent.withStored(new Stored(Instant.now(), Instant.now(), 0, 7));
    Event reordered = EventCodec.decode("""
        {"data":{},"actor":"user:alice","time":"2026-06-15T02:14:07.123456Z","subject":"8d0c1f2e-3a4b-4c5d-9e6f-7a8b9c0d1e2f",
         "type":"quorum.incident.acknowledged","source":"alertmanager/prod-eu","id":"0192f7c4-1c2d-4e5f-8a9b-0c1d2e3f4a5b","specversion":"1.0"}
        """);

    assertThat(EventCodec.sameContent(sent, stored)).isTrue();
    assertThat(EventCodec.sameContent(sent, reordered)).isTrue();
    assertThat(EventCodec.sameContent(sent, EventCodec.decode(ACK.replace("user:alice", "user:bob")))).isFalse();
  }

  @Test
  void a_well_formed_envelope_of_an_unknown_type_is_kept_whole() {
    Event event = EventCodec.decode(ACK.replace("quorum.incident.acknowledged", "quorum.incident.snoozed")
        .replace("\"data\":{}", "\"data\":{\"until\":\"03:00\",\"n\":[1,2.50]}"));

    assertThat(event.data()).isInstanceOf(EventData.Unknown.class);
    assertThat(event.type()).isEqualTo("quorum.incident.snoozed");
    assertThat(EventCodec.decode(EventCodec.encode(event))).isEqualTo(event);
    assertThat(EventCodec.encodeToString(event)).contains("\"until\":\"03:00\"", "2.50");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      missing id                 | "id":"0192f7c4-1c2d-4e5f-8a9b-0c1d2e3f4a5b",       |                                     | $.id          | is required
      id not a UUID              | 0192f7c4-1c2d-4e5f-8a9b-0c1d2e3f4a5b               | 42                                  | $.id          | must be a UUID
      short-group UUID           | 0192f7c4-1c2d-4e5f-8a9b-0c1d2e3f4a5b               | 1-2-3-4-5                           | $.id          | must be a UUID
      wrong specversion          | "specversion":"1.0"                                 | "specversion":"0.3"                 | $.specversion | must be "1.0"
      subject missing            | "subject":"8d0c1f2e-3a4b-4c5d-9e6f-7a8b9c0d1e2f",  |                                     | $.subject     | is required
      unparseable time           | 2026-06-15T02:14:07.123456789Z                      | yesterday                           | $.time        | RFC 3339
      time without offset        | 2026-06-15T02:14:07.123456789Z                      | 2026-06-15T02:14:07                 | $.time        | RFC 3339
      actor wrongly typed        | "actor":"user:alice"                                | "actor":7                           | $.actor       | must be a string, was a number
      blank source               | "source":"alertmanager/prod-eu"                     | "source":"  "                       | $.source      | must not be blank
      not JSON content           | "datacontenttype":"application/json"                | "datacontenttype":"text/plain"      | $.datacontenttype | must be application/json
      data not an object         | "data":{}                                           | "data":[]                           | $.data        | must be a JSON object
      data missing               | ,"data":{}                                          |                                     | $.data        | is required
      partial pipeline attributes| "actor":"user:alice"                                | "actor":"user:alice","ingestedat":"2026-06-15T02:14:07Z" | $.ingestedat | together
      """)
  void an_invalid_envelope_is_rejected_naming_the_path(String name, String find, String replace, String path, String reason) {
    String json = ACK.replace(find, replace == null ? "" : replace);

    assertThatThrownBy(() -> EventCodec.decode(json))
        .isInstanceOfSatisfying(DecodeException.class, e -> {
          assertThat(e.path()).isEqualTo(path);
          assertThat(e.reason()).contains(reason);
        });
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      severity unknown            | quorum.severity.changed    | {"severity":"sev0"}                                   | $.data.severity
      severity missing            | quorum.severity.changed    | {}                                                    | $.data.severity
      title too long              | quorum.incident.triggered  | {"title":"%LONG%"}                                    | $.data.title
      merge target not a UUID     | quorum.incident.merged     | {"into":"incident-7"}                                 | $.data.into
      level not an integer        | quorum.incident.escalated  | {"level":"2","target":"team:a","reason":"manual"}     | $.data.level
      level out of range          | quorum.incident.escalated  | {"level":0,"target":"team:a","reason":"manual"}       | $.data.level
      reason unknown              | quorum.incident.unacknowledged | {"reason":"bored"}                                | $.data.reason
      label value not text        | quorum.alert.fired         | {"fingerprint":"f","title":"t","labels":{"a":1}}      | $.data.labels.a
      role unknown                | quorum.role.assigned       | {"role":"king","responder":"user:a"}                  | $.data.role
      note blank                  | quorum.note.added          | {"text":" "}                                          | $.data.text
      """)
  void a_known_type_with_invalid_data_is_rejected_naming_the_field(String name, String type, String data, String path) {
    String json = ACK.replace("quorum.incident.acknowledged", type)
        .replace("\"data\":{}", "\"data\":" + data.replace("%LONG%", "x".repeat(1025)));

    assertThatThrownBy(() -> EventCodec.decode(json))
        .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.path()).isEqualTo(path));
  }

  @Test
  void malformed_json_duplicate_keys_and_trailing_garbage_are_decode_errors() {
    assertThatThrownBy(() -> EventCodec.decode("{\"specversion\":")).isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> EventCodec.decode(ACK.replace("\"actor\":\"user:alice\"", "\"actor\":\"a\",\"actor\":\"b\"")))
        .isInstanceOf(DecodeException.class).hasMessageContaining("Duplicate field 'actor'").hasMessageNotContaining("ObjectNode");
    // in data and in an array's objects too
    assertThatThrownBy(() -> EventCodec.decode(ACK.replace("\"data\":{}", "\"data\":{\"x\":[{\"y\":1,\"y\":1}]}")))
        .isInstanceOf(DecodeException.class).hasMessageContaining("Duplicate field 'y'");
    assertThatThrownBy(() -> EventCodec.decode(ACK + " {}")).isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> EventCodec.decode((byte[]) null)).isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> EventCodec.decode("[]")).isInstanceOf(DecodeException.class).hasMessageContaining("object");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      UTF-32 guessed from {\0\0\0 (issue 16)  | 7b 00 00 00 00 00 ff 00             | NUL byte at offset 1
      UTF-32 big-endian brace                 | 00 00 00 7b                         | NUL byte at offset 0
      UTF-16 little-endian object             | 7b 00 7d 00                         | NUL byte at offset 1
      UTF-16 big-endian object                | 00 7b 00 7d                         | NUL byte at offset 0
      UTF-16 little-endian byte order mark    | ff fe 7b 00 7d 00                   | byte 0xff at offset 0
      UTF-16 big-endian byte order mark       | fe ff 00 7b 00 7d                   | byte 0xfe at offset 0
      UTF-32 little-endian byte order mark    | ff fe 00 00 7b 00 00 00             | byte 0xff at offset 0
      UTF-32 big-endian byte order mark       | 00 00 fe ff 00 00 00 7b             | NUL byte at offset 0
      UTF-8 byte order mark                   | ef bb bf 7b 7d                      | byte order mark
      overlong slash                          | 22 c0 af 22                         | byte 0xc0 at offset 1
      encoded surrogate                       | 22 ed a0 80 22                      | byte 0xed at offset 1
      above U+10FFFF                          | 22 f4 90 80 80 22                   | byte 0xf4 at offset 1
      truncated sequence                      | 22 e2 82                            | byte 0xe2 at offset 1
      Latin-1 text                            | 7b 22 e9 22 3a 31 7d                | byte 0xe9 at offset 2
      """)
  void bytes_that_are_not_utf8_json_text_are_decode_errors_naming_the_offset(String name, String hex, String reason) {
    byte[] bytes = java.util.HexFormat.ofDelimiter(" ").parseHex(hex.strip());

    assertThatThrownBy(() -> EventCodec.decode(bytes))
        .isInstanceOfSatisfying(DecodeException.class, e -> {
          assertThat(e.path()).isEqualTo("$");
          assertThat(e.reason()).contains(reason);
        });
    assertThatThrownBy(() -> EventCodec.decodeBatch(bytes, 10)).isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> EventCodec.parse(bytes)).isInstanceOf(DecodeException.class);
  }

  @Test
  void utf8_text_beyond_ascii_decodes() {
    Event event = EventCodec.decode(ACK.replace("quorum.incident.acknowledged", "quorum.note.added")
        .replace("\"data\":{}", "\"data\":{\"text\":\"d\u00e9j\u00e0 vu \u2014 \ud83d\ude92 und \u00fc\"}"));

    assertThat(event.data()).isEqualTo(new EventData.NoteAdded("d\u00e9j\u00e0 vu \u2014 \ud83d\ude92 und \u00fc"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      NUL in the actor                 | quorum.incident.acknowledged | "actor":"user:a\\u0000b"           | {}                                                      | $.actor                 | NUL
      surrogate in the principal       | quorum.incident.acknowledged | "actor":"user:alice","principal":"svc\\udc00" | {}                                                      | $.principal              | unpaired
      NUL in a note                    | quorum.note.added            | "actor":"user:alice"                | {"text":"fail\\u0000over"}                             | $.data.text             | NUL
      high surrogate alone in a title  | quorum.incident.triggered    | "actor":"user:alice"                | {"title":"db \\ud800 down"}                            | $.data.title            | unpaired
      low surrogate first              | quorum.note.added            | "actor":"user:alice"                | {"text":"\\udc00\\ud800"}                             | $.data.text             | unpaired
      NUL in a label value             | quorum.alert.fired           | "actor":"user:alice"                | {"fingerprint":"f","title":"t","labels":{"env":"p\\u0000"}} | $.data.labels.env  | NUL
      NUL in a label key               | quorum.alert.fired           | "actor":"user:alice"                | {"fingerprint":"f","title":"t","labels":{"e\\u0000v":"p"}} | $.data.labels.e\\u0000v | name that holds a NUL
      NUL deep in unknown-type data    | quorum.runbook.linked        | "actor":"user:alice"                | {"steps":[{"say":"ok"},{"say":"\\u0000"}]}              | $.data.steps[1].say     | NUL
      NUL in an unknown-type key       | quorum.runbook.linked        | "actor":"user:alice"                | {"a":{"k\\u0000":1}}                                   | $.data.a.k\\u0000      | name that holds a NUL
      NUL in unknown-type data at top  | quorum.runbook.linked        | "actor":"user:alice"                | "\\u0000"                                               | $.data                  | NUL
      """)
  void text_the_database_cannot_store_is_refused_naming_the_field(
      String name, String type, String envelope, String data, String path, String reason) {
    String json = ACK.replace("\"actor\":\"user:alice\"", envelope)
        .replace("quorum.incident.acknowledged", type)
        .replace("\"data\":{}", "\"data\":" + data);

    assertThatThrownBy(() -> EventCodec.decode(json))
        .isInstanceOfSatisfying(DecodeException.class, e -> {
          assertThat(e.path()).isEqualTo(path);
          assertThat(e.reason()).contains(reason);
        });
  }

  @Test
  void an_escaped_backslash_before_u_is_text_and_a_nul_after_it_is_still_refused() {
    String note = ACK.replace("quorum.incident.acknowledged", "quorum.note.added");
    Event event = EventCodec.decode(note.replace("\"data\":{}", "\"data\":{\"text\":\"C:\\\\users\\\\u0000x\"}"));
    assertThat(event.data()).isEqualTo(new EventData.NoteAdded("C:\\users\\u0000x"));

    // A raw NUL byte is refused before parsing; an escaped one only by the check of decoded text.
    assertThatThrownBy(() -> EventCodec.decode(note.replace("\"data\":{}", "\"data\":{\"text\":\"a\\\\\\u0000\"}")))
        .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.path()).isEqualTo("$.data.text"));
  }

  @Test
  void a_surrogate_pair_is_text_and_decodes() {
    Event event = EventCodec.decode(ACK.replace("\"actor\":\"user:alice\"", "\"actor\":\"user:\\ud83d\\ude92\""));

    assertThat(event.actor()).isEqualTo("user:\ud83d\ude92");
  }

  @Test
  void an_event_over_the_size_limit_is_refused_before_parsing() {
    String huge = ACK.replace("quorum.incident.acknowledged", "quorum.future.thing")
        .replace("\"data\":{}", "\"data\":{\"blob\":\"" + "x".repeat(dev.quorum.event.Limits.MAX_EVENT_BYTES) + "\"}");

    assertThatThrownBy(() -> EventCodec.decode(huge))
        .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.reason()).contains("at most"));
  }

  @Test
  void a_batch_decodes_every_element_and_names_the_bad_one() {
    String good = ACK.strip();
    List<Event> events = EventCodec.decodeBatch(("[" + good + "," + good.replace("0192f7c4", "0192f7c5") + "]").getBytes(), 10);
    assertThat(events).hasSize(2);

    assertThatThrownBy(() -> EventCodec.decodeBatch(("[" + good + "," + good.replace("\"user:alice\"", "null") + "]").getBytes(), 10))
        .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.path()).isEqualTo("$[1].actor"));
    assertThatThrownBy(() -> EventCodec.decodeBatch(("[" + good + "," + good + "]").getBytes(), 1))
        .isInstanceOf(DecodeException.class).hasMessageContaining("at most 1");
  }

  @Test
  void encoding_writes_a_cloudevents_structured_envelope() {
    Event event = Event.of(UUID.randomUUID(), "svc/checkout", UUID.randomUUID(), Instant.parse("2026-06-15T02:14:07Z"),
        "system:deployer", new EventData.SeverityChanged(Severity.ERROR));

    String json = EventCodec.encodeToString(event);

    assertThat(json).startsWith("{\"specversion\":\"1.0\",\"id\":\"" + event.id())
        .contains("\"type\":\"quorum.severity.changed\"", "\"datacontenttype\":\"application/json\"",
            "\"data\":{\"severity\":\"error\"}")
        .doesNotContain("ingestedat");
  }
}
