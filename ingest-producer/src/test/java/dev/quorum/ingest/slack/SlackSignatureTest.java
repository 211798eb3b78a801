package dev.quorum.ingest.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.ingest.Samples;
import dev.quorum.ingest.slack.SlackSignature.Verdict;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SlackSignatureTest {
  // Slack's published signing example
  private static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
  private static final String TIMESTAMP = "1531420618";
  private static final String SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
  private static final byte[] BODY = Samples.bytes("slack/signing-vector-body.txt");
  private static final Instant THEN = Instant.ofEpochSecond(1531420618);

  private final SlackSignature signature = new SlackSignature(SECRET, SlackSignature.DEFAULT_MAX_SKEW);

  @Test
  void slacks_published_test_vector_is_valid() {
    assertThat(signature.sign(TIMESTAMP, BODY)).isEqualTo(SIGNATURE);
    assertThat(signature.verify(TIMESTAMP, SIGNATURE, BODY, THEN.plusSeconds(1))).isEqualTo(Verdict.VALID);
  }

  @Test
  void a_tampered_body_does_not_match() {
    // Given the vector's body with one byte changed (roadrunner becomes roadrunnes)
    byte[] tampered = Arrays.copyOf(BODY, BODY.length);
    String text = new String(tampered);
    int at = text.indexOf("roadrunner") + "roadrunne".length();
    tampered[at] = 's';

    // Then the signature no longer matches
    assertThat(signature.verify(TIMESTAMP, SIGNATURE, tampered, THEN)).isEqualTo(Verdict.MISMATCH);
  }

  @Test
  void a_tampered_signature_or_another_secret_does_not_match() {
    String flipped = SIGNATURE.substring(0, SIGNATURE.length() - 1) + "4";
    assertThat(signature.verify(TIMESTAMP, flipped, BODY, THEN)).isEqualTo(Verdict.MISMATCH);
    assertThat(signature.verify(TIMESTAMP, SIGNATURE.substring(3), BODY, THEN)).isEqualTo(Verdict.MISMATCH);
    assertThat(new SlackSignature(SECRET + "x", SlackSignature.DEFAULT_MAX_SKEW).verify(TIMESTAMP, SIGNATURE, BODY, THEN))
        .isEqualTo(Verdict.MISMATCH);
  }

  @Test
  void a_timestamp_more_than_five_minutes_off_either_way_is_stale() {
    assertThat(signature.verify(TIMESTAMP, SIGNATURE, BODY, THEN.plusSeconds(300))).isEqualTo(Verdict.VALID);
    assertThat(signature.verify(TIMESTAMP, SIGNATURE, BODY, THEN.minusSeconds(300))).isEqualTo(Verdict.VALID);
    assertThat(signature.verify(TIMESTAMP, SIGNATURE, BODY, THEN.plusSeconds(301))).isEqualTo(Verdict.STALE);
    assertThat(signature.verify(TIMESTAMP, SIGNATURE, BODY, THEN.minusSeconds(301))).isEqualTo(Verdict.STALE);
  }

  @Test
  void a_changed_timestamp_does_not_match_even_when_fresh() {
    // Given the vector replayed with a timestamp moved into the window
    String moved = Long.toString(THEN.getEpochSecond() + 1);

    // Then the signature, which covers the timestamp, no longer matches
    assertThat(signature.verify(moved, SIGNATURE, BODY, THEN)).isEqualTo(Verdict.MISMATCH);
  }

  @Test
  void missing_or_malformed_headers_are_refused() {
    assertThat(signature.verify(null, SIGNATURE, BODY, THEN)).isEqualTo(Verdict.MISSING);
    assertThat(signature.verify(TIMESTAMP, null, BODY, THEN)).isEqualTo(Verdict.MISSING);
    assertThat(signature.verify("", "", BODY, THEN)).isEqualTo(Verdict.MISSING);
    assertThat(signature.verify("soon", SIGNATURE, BODY, THEN)).isEqualTo(Verdict.BAD_TIMESTAMP);
    assertThat(signature.verify("99999999999999999999", SIGNATURE, BODY, THEN)).isEqualTo(Verdict.BAD_TIMESTAMP);
  }
}
