package dev.quorum.writer.domain;

import static org.assertj.core.api.Assertions.assertThat;

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
  void a_valid_envelope_of_an_unknown_type_is_to_be_stored_with_the_records_coordinates() {
    Decoded decoded = BatchBuilderTest.valid(TestEvents.unknown(UUID.randomUUID()));

    assertThat(decoded).isInstanceOfSatisfying(Decoded.Valid.class, valid -> {
      assertThat(valid.incoming().event().type()).isEqualTo("quorum.runbook.linked");
      assertThat(valid.incoming().offset()).isEqualTo(valid.delivery().offset());
      assertThat(valid.incoming().ingestedAt()).isEqualTo(valid.delivery().timestamp());
    });
  }
}
