package dev.quorum.writer.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.event.codec.DecodeException;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.store.testing.TestEvents;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DecodedTest {

  @Test
  void bad_json_is_a_malformed_envelope() {
    Decoded decoded = Decoded.of(BatchBuilderTest.delivery("{\"id\": ".getBytes(StandardCharsets.UTF_8)));

    assertThat(decoded).isInstanceOfSatisfying(Decoded.Invalid.class, invalid -> {
      assertThat(invalid.deadLetter().reason()).isEqualTo(DeadLetter.Reason.MALFORMED_ENVELOPE);
      assertThat(invalid.deadLetter().message()).contains("malformed JSON");
    });
  }

  @Test
  void a_record_without_a_value_is_a_malformed_envelope() {
    Decoded decoded = Decoded.of(BatchBuilderTest.delivery(null));

    assertThat(decoded).isInstanceOfSatisfying(Decoded.Invalid.class,
        invalid -> assertThat(invalid.deadLetter().reason()).isEqualTo(DeadLetter.Reason.MALFORMED_ENVELOPE));
  }

  @Test
  void a_known_type_with_invalid_data_names_the_field() {
    String json = EventCodec.encodeToString(TestEvents.note(UUID.randomUUID(), "text"))
        .replace("\"text\":\"text\"", "\"text\":42");

    Decoded decoded = Decoded.of(BatchBuilderTest.delivery(json.getBytes(StandardCharsets.UTF_8)));

    assertThat(decoded).isInstanceOfSatisfying(Decoded.Invalid.class, invalid -> {
      assertThat(invalid.deadLetter().reason()).isEqualTo(DeadLetter.Reason.INVALID_DATA);
      assertThat(invalid.deadLetter().message()).startsWith("$.data.text");
    });
  }

  @Test
  void bytes_that_are_not_utf8_json_text_are_a_malformed_envelope_named_by_the_codec() {
    Decoded decoded = Decoded.of(BatchBuilderTest.delivery(new byte[] {0x7b, 0, 0, 0, 0, 0, (byte) 0xff, 0}));

    assertThat(decoded).isInstanceOfSatisfying(Decoded.Invalid.class, invalid -> {
      assertThat(invalid.deadLetter().reason()).isEqualTo(DeadLetter.Reason.MALFORMED_ENVELOPE);
      assertThat(invalid.deadLetter().errorClass()).isEqualTo(DecodeException.class.getName());
      assertThat(invalid.deadLetter().message()).startsWith("$: holds a NUL byte at offset 1");
    });
  }

  @Test
  void a_nul_in_data_is_invalid_data_and_in_the_envelope_a_malformed_envelope() {
    String note = EventCodec.encodeToString(TestEvents.note(UUID.randomUUID(), "text"));

    Decoded inData = Decoded.of(BatchBuilderTest.delivery(note.replace("\"text\":\"text\"", "\"text\":\"te\\u0000xt\"")
        .getBytes(StandardCharsets.UTF_8)));
    Decoded inActor = Decoded.of(BatchBuilderTest.delivery(note.replaceFirst("\"actor\":\"", "\"actor\":\"\\\\ud800")
        .getBytes(StandardCharsets.UTF_8)));

    assertThat(inData).isInstanceOfSatisfying(Decoded.Invalid.class, invalid -> {
      assertThat(invalid.deadLetter().reason()).isEqualTo(DeadLetter.Reason.INVALID_DATA);
      assertThat(invalid.deadLetter().message()).startsWith("$.data.text: holds a NUL character");
    });
    assertThat(inActor).isInstanceOfSatisfying(Decoded.Invalid.class, invalid -> {
      assertThat(invalid.deadLetter().reason()).isEqualTo(DeadLetter.Reason.MALFORMED_ENVELOPE);
      assertThat(invalid.deadLetter().message()).startsWith("$.actor: holds an unpaired UTF-16 surrogate");
    });
  }

  @Test
  void a_valid_envelope_of_an_unknown_type_is_to_be_stored_with_the_records_coordinates() {
    Decoded decoded = BatchBuilderTest.valid(TestEvents.unknown(UUID.randomUUID()));

    assertThat(decoded).isInstanceOfSatisfying(Decoded.Valid.class, valid -> {
      assertThat(valid.incoming().event().type()).isEqualTo("quorum.runbook.linked");
      assertThat(valid.incoming().offset()).isEqualTo(valid.delivery().offset());
      assertThat(valid.incoming().ingestedAt()).isEqualTo(valid.delivery().timestamp());
    });
  }
}
