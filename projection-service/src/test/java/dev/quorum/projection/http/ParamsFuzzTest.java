package dev.quorum.projection.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.quorum.event.Severity;
import dev.quorum.event.fold.Axis;
import dev.quorum.event.fold.Status;
import dev.quorum.kit.http.ProblemException;
import dev.quorum.projection.domain.Analytics;
import java.util.List;
import java.util.function.Consumer;

/**
 * Coverage-guided fuzzing of the query API's parameter parsing: whatever text a client sends as a path or
 * query parameter is a value or a 400 naming the parameter. Regression mode over the committed corpus
 * ({@code ParamsFuzzTestInputs}: real cursors, ids, times and every input that ever failed).
 */
class ParamsFuzzTest {
  private static final List<Consumer<String>> PARSERS = List.of(
      text -> Params.uuid("id", text),
      text -> Params.integer("limit", text, 1, 1000),
      text -> Params.instant("asOf", text),
      text -> Params.date("from", text),
      text -> Params.enums("status", List.of(text), Status.class),
      text -> Params.enums("by", List.of(text), Analytics.Dimension.class),
      text -> Params.enumValue("severity", text, Severity.class),
      text -> Params.enumValue("axis", text, Axis.class),
      text -> Params.episodeNumber("number", text),
      text -> Params.listCursor("cursor", text),
      text -> Params.timelineCursor("cursor", text));

  @FuzzTest(maxDuration = "60s")
  void any_parameter_text_is_a_value_or_a_400_naming_the_parameter(FuzzedDataProvider data) {
    Consumer<String> parser = data.pickValue(PARSERS);
    String text = data.consumeRemainingAsString();
    try {
      parser.accept(text);
    } catch (ProblemException expected) {
      assertThat(expected.status()).isEqualTo(400);
      assertThat(expected.field()).isNotBlank();
    }
  }
}
