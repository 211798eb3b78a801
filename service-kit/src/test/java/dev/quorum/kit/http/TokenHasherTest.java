package dev.quorum.kit.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TokenHasherTest {

  @Test
  void without_a_pepper_the_hash_is_plain_sha256_hex() {
    assertThat(TokenHasher.hash("abc", null)).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(TokenHasher.hash("abc", "")).isEqualTo(BearerAuth.hash("abc"));
  }

  @Test
  void with_a_pepper_the_hash_is_hmac_sha256_keyed_by_it() {
    // RFC 4231, test case 2
    assertThat(TokenHasher.hash("what do ya want for nothing?", "Jefe"))
        .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }

  @Test
  void generated_tokens_are_long_url_safe_and_different() {
    String one = TokenHasher.generateToken();
    String two = TokenHasher.generateToken();

    assertThat(one).hasSize(43).matches("[A-Za-z0-9_-]+");
    assertThat(one).isNotEqualTo(two);
  }

  @Test
  void the_program_prints_the_hash_of_the_token_on_standard_input() throws Exception {
    // Given
    InputStream in = System.in;
    PrintStream out = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try {
      System.setIn(new ByteArrayInputStream("abc\n".getBytes(StandardCharsets.UTF_8)));
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));

      // When
      TokenHasher.main(new String[0]);
    } finally {
      System.setIn(in);
      System.setOut(out);
    }

    // Then
    assertThat(printed.toString(StandardCharsets.UTF_8).strip()).isEqualTo(BearerAuth.hash("abc"));
  }

  @Test
  void a_token_given_as_an_argument_is_refused_and_nothing_is_hashed() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int status = TokenHasher.run(new String[] {"s3cret-token"}, new ByteArrayInputStream("abc\n".getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(status).isEqualTo(2);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("standard input only").doesNotContain("s3cret-token");
  }
}
