package dev.quorum.ingest.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quorum.ingest.InvalidInput;
import dev.quorum.ingest.Samples;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FormBodyTest {

  @Test
  void slacks_published_request_decodes_field_by_field() {
    var form = FormBody.decode(Samples.bytes("slack/signing-vector-body.txt"));

    assertThat(form.get("command")).containsExactly("/webhook-collect");
    assertThat(form.get("text")).containsExactly("");
    assertThat(form.get("response_url")).containsExactly("https://hooks.slack.com/commands/T1DC2JH3J/397700885554/96rGlfmibIGlgcZRskXaIFfN");
  }

  @Test
  void plus_is_a_space_and_percent_escapes_are_utf8_bytes() {
    var form = FormBody.decode("text=caf%C3%A9+%F0%9F%9A%92&flag&text=d%C3%A9j%C3%A0".getBytes(StandardCharsets.UTF_8));

    assertThat(form.get("text")).containsExactly("café 🚒", "déjà");
    assertThat(form.get("flag")).containsExactly("");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      Latin-1 escape             | text=caf%E9                 | text | not UTF-8
      raw Latin-1 byte           | text=caf\u00e9              | text | not UTF-8
      encoded surrogate          | text=%ED%A0%80              | text | not UTF-8
      overlong slash             | text=%C0%AF                 | text | not UTF-8
      NUL                        | text=a%00b                  | text | NUL
      escape cut short           | text=%4                     | text | two hex digits
      escape not hex             | text=%zz                    | text | two hex digits
      name not UTF-8             | %FF=1                       | $    | not UTF-8
      """)
  void a_field_that_is_not_utf8_text_is_refused_naming_it(String name, String body, String field, String reason) {
    byte[] bytes = name.equals("raw Latin-1 byte") ? body.getBytes(StandardCharsets.ISO_8859_1) : body.getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> FormBody.decode(bytes))
        .isInstanceOfSatisfying(InvalidInput.class, e -> {
          assertThat(e.first().path()).isEqualTo(field);
          assertThat(e.first().reason()).contains(reason);
        });
  }

  @Test
  void an_empty_body_has_no_fields_and_too_many_fields_are_refused() {
    assertThat(FormBody.decode(new byte[0])).isEmpty();
    byte[] many = String.join("&", java.util.Collections.nCopies(65, "a=1")).getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> FormBody.decode(many)).isInstanceOf(InvalidInput.class).hasMessageContaining("more than 64");
    assertThat(FormBody.decode("a=1&&b=2".getBytes(StandardCharsets.UTF_8)).keySet()).containsExactly("a", "b");
  }
}
