package dev.quorum.ingest.pagerduty;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.quorum.ingest.Caller;
import dev.quorum.ingest.InvalidInput;
import dev.quorum.ingest.kafka.Publishable;
import java.time.Instant;

/**
 * Coverage-guided fuzzing of the PagerDuty Events v2 adapter from raw bodies; regression mode over the
 * committed corpus ({@code PagerDutyEventFuzzTestInputs}: PagerDuty's documented events and every input
 * that ever failed).
 */
class PagerDutyEventFuzzTest {
  private static final Caller MONITORING = new Caller("monitoring", "pagerduty/monitoring", "integration:monitoring", false);
  private static final Instant NOW = Instant.parse("2026-06-15T02:14:07Z");

  @FuzzTest(maxDuration = "60s")
  void a_body_becomes_a_publishable_event_or_invalid_input(byte[] body) {
    PagerDutyEvent.Translation translation;
    try {
      translation = PagerDutyEvent.translate(body, MONITORING, NOW, () -> "0123456789abcdef0123456789abcdef");
    } catch (InvalidInput expected) {
      assertThat(expected.violations()).allSatisfy(v -> assertThat(v.path()).startsWith("$"));
      return;
    }
    assertThat(translation.dedupKey()).isNotBlank();
    Publishable.check(translation.event());
  }
}
