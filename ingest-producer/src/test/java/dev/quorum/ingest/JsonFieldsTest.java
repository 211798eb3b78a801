package dev.quorum.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class JsonFieldsTest {

  @Test
  void timestamps_with_any_offset_notation_are_read() {
    assertThat(JsonFields.parseInstant("$.t", "2015-07-17T08:42:58.315+0000")).isEqualTo(Instant.parse("2015-07-17T08:42:58.315Z"));
    assertThat(JsonFields.parseInstant("$.t", "2015-07-17T10:42:58.315+02:00")).isEqualTo(Instant.parse("2015-07-17T08:42:58.315Z"));
    assertThat(JsonFields.parseInstant("$.t", "2026-06-15T02:10:37.512815313Z")).isEqualTo(Instant.parse("2026-06-15T02:10:37.512815313Z"));
    assertThat(JsonFields.parseInstant("$.t", "0001-01-01T00:00:00Z")).isEqualTo(Instant.parse("0001-01-01T00:00:00Z"));
  }

  @Test
  void a_timestamp_without_offset_is_refused_naming_the_field() {
    assertThatThrownBy(() -> JsonFields.parseInstant("$.payload.timestamp", "2015-07-17T08:42:58"))
        .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.first().path()).isEqualTo("$.payload.timestamp"));
  }

  @Test
  void clipping_never_splits_a_surrogate_pair() {
    String clipped = Texts.clip("ab\uD83D\uDE00cd", 4);
    assertThat(clipped).isEqualTo("ab…");
    assertThat(Texts.clip("short", 10)).isEqualTo("short");
  }

  @Test
  void a_nul_or_half_a_surrogate_pair_in_text_or_a_map_is_refused_naming_the_path() {
    JsonFields alert = JsonFields.of(JsonFields.parse(
        "{\"title\":\"a\\u0000b\",\"owner\":\"\\ud800\",\"labels\":{\"env\":\"p\\u0000\"},\"tags\":{\"k\\u0000\":\"v\"}}"
            .getBytes(java.nio.charset.StandardCharsets.UTF_8)), "$.alerts[0]");

    assertThatThrownBy(() -> alert.text("title", 100))
        .isInstanceOfSatisfying(InvalidInput.class, e -> {
          assertThat(e.first().path()).isEqualTo("$.alerts[0].title");
          assertThat(e.first().reason()).contains("NUL");
        });
    assertThatThrownBy(() -> alert.optText("owner", 100))
        .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.first().reason()).contains("unpaired UTF-16 surrogate"));
    assertThatThrownBy(() -> alert.stringMap("labels"))
        .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.first().path()).isEqualTo("$.alerts[0].labels.env"));
    assertThatThrownBy(() -> alert.stringMap("tags"))
        .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.first().path()).isEqualTo("$.alerts[0].tags.k\\u0000"));
  }

  @Test
  void a_body_that_is_not_utf8_is_invalid_input_not_an_io_error() {
    assertThatThrownBy(() -> JsonFields.parse(new byte[] {0x7b, 0, 0, 0, 0, 0, (byte) 0xff, 0}))
        .isInstanceOfSatisfying(InvalidInput.class, e -> {
          assertThat(e.first().path()).isEqualTo("$");
          assertThat(e.first().reason()).contains("NUL byte at offset 1");
        });
  }
}
