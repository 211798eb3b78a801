package dev.quorum.ingest.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.quorum.ingest.Caller;
import dev.quorum.ingest.InvalidInput;
import dev.quorum.ingest.kafka.Publishable;
import java.time.Instant;

/**
 * Coverage-guided fuzzing of the Alertmanager adapter from raw bodies; regression mode over the committed
 * corpus ({@code AlertmanagerWebhookFuzzTestInputs}: real webhooks and every input that ever failed).
 */
class AlertmanagerWebhookFuzzTest {
  private static final Caller ALERTMANAGER = new Caller("am-prod-eu", "alertmanager/prod-eu", "integration:alertmanager", false);
  private static final Instant NOW = Instant.parse("2026-06-15T02:14:07Z");

  @FuzzTest(maxDuration = "60s")
  void a_body_becomes_publishable_events_or_invalid_input(byte[] body) {
    AlertmanagerWebhook.Translation translation;
    try {
      translation = AlertmanagerWebhook.translate(body, ALERTMANAGER, NOW);
    } catch (InvalidInput expected) {
      assertThat(expected.first().path()).startsWith("$");
      return;
    }
    assertThat(translation.truncatedAlerts()).isNotNegative();
    translation.events().forEach(Publishable::check);
  }
}
