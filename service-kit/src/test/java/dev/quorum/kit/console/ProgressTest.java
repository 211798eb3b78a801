package dev.quorum.kit.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProgressTest {

  @Test
  void on_a_pipe_it_prints_plain_lines_without_carriage_returns_and_not_on_every_update() {
    StringWriter text = new StringWriter();
    Progress progress = new Progress(new PrintWriter(text), false, "loading", 1_000);

    for (int i = 1; i <= 999; i++) progress.update(i);
    progress.done(1_000);

    assertThat(text.toString()).doesNotContain("\r");
    assertThat(text.toString().lines()).hasSize(2)
        .first().asString().startsWith("loading: 1/1,000 (0%)");
    assertThat(text.toString().lines().toList().getLast()).startsWith("loading: 1,000/1,000 (100%)");
  }

  @Test
  void on_a_terminal_it_redraws_one_bar_in_place_and_ends_the_line() {
    StringWriter text = new StringWriter();
    Progress progress = new Progress(new PrintWriter(text), true, "loading", 10);

    progress.update(5);
    progress.done(10);

    assertThat(text.toString()).startsWith("\rloading").contains("[===============               ]  50%")
        .contains("100%").endsWith(System.lineSeparator());
    assertThat(text.toString().chars().filter(c -> c == '\n').count()).isEqualTo(1);
    assertThat(text.toString().chars().filter(c -> c == '\r').count()).isEqualTo(2);
  }

  @Test
  void the_launching_script_decides_whether_stderr_is_a_terminal() {
    String before = System.getProperty(Progress.TTY_PROPERTY);
    try {
      System.setProperty(Progress.TTY_PROPERTY, "true");
      assertThat(Progress.stderrIsTerminal()).isTrue();
      System.setProperty(Progress.TTY_PROPERTY, "false");
      assertThat(Progress.stderrIsTerminal()).isFalse();
    } finally {
      if (before == null) System.clearProperty(Progress.TTY_PROPERTY);
      else System.setProperty(Progress.TTY_PROPERTY, before);
    }
  }
}
