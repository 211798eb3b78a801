package dev.quorum.ingest.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.quorum.ingest.InvalidInput;
import dev.quorum.ingest.kafka.Publishable;
import java.time.Duration;
import java.time.Instant;

/**
 * Coverage-guided fuzzing of what the Slack route reads from a request: the signature headers and the
 * form body, then the command. Regression mode over the committed corpus ({@code SlackFuzzTestInputs}:
 * Slack's published request and every input that ever failed).
 */
class SlackFuzzTest {
  private static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
  private static final Instant NOW = Instant.ofEpochSecond(1531420618);
  private final SlackSignature signature = new SlackSignature(SECRET, Duration.ofMinutes(5));

  @FuzzTest(maxDuration = "60s")
  void any_headers_and_body_get_a_verdict_and_only_the_right_signature_is_valid(FuzzedDataProvider data) {
    String timestamp = data.consumeString(16);
    String given = data.consumeString(80);
    byte[] body = data.consumeRemainingAsBytes();

    SlackSignature.Verdict verdict = signature.verify(timestamp, given, body, NOW);

    assertThat(verdict == SlackSignature.Verdict.VALID).isEqualTo(verdict(timestamp, given, body));
    String now = String.valueOf(NOW.getEpochSecond());
    assertThat(signature.verify(now, signature.sign(now, body), body, NOW)).isEqualTo(SlackSignature.Verdict.VALID);
  }

  @FuzzTest(maxDuration = "60s")
  void a_signed_form_becomes_publishable_events_an_answer_or_invalid_input(byte[] body) {
    SlashCommand command;
    try {
      command = SlashCommand.from(FormBody.decode(body));
    } catch (InvalidInput expected) {
      assertThat(expected.first().reason()).isNotBlank();
      return;
    }
    switch (new SlackCommands(ChannelBindings.inMemory()).interpret(command, NOW)) {
      case SlackCommands.Outcome.Answer answer -> assertThat(answer.text()).isNotBlank();
      case SlackCommands.Outcome.Publish publish -> publish.events().forEach(Publishable::check);
    }
  }

  /** Valid exactly when the timestamp is a number within the window and the signature is the one computed. */
  private boolean verdict(String timestamp, String given, byte[] body) {
    if (timestamp.isEmpty() || given.isEmpty() || timestamp.length() > 12) return false;
    try {
      long seconds = Long.parseLong(timestamp);
      return Math.abs(NOW.getEpochSecond() - seconds) <= 300 && signature.sign(timestamp, body).equals(given);
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
