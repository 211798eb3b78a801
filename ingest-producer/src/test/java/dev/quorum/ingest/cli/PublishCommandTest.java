package dev.quorum.ingest.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PublishCommandTest {
  // nothing listens here: these runs must fail before a producer would connect
  private static final String NO_BROKER = "127.0.0.1:1";

  private final StringWriter err = new StringWriter();

  @Test
  void a_file_with_one_bad_line_is_refused_naming_the_line_and_field(@TempDir Path dir) throws IOException {
    // Given a file whose second event has a blank note
    Path file = dir.resolve("events.jsonl");
    Files.writeString(file, """
        {"specversion":"1.0","id":"0d5a9a8e-3c5b-4a53-9f0e-5b8f3e0c2a11","source":"cli","type":"quorum.incident.acknowledged","subject":"8d0c5a3e-1f2b-4c3d-9e8f-0a1b2c3d4e5f","time":"2026-06-15T02:14:07Z","actor":"user:alice","data":{}}
        {"specversion":"1.0","id":"1d5a9a8e-3c5b-4a53-9f0e-5b8f3e0c2a11","source":"cli","type":"quorum.note.added","subject":"8d0c5a3e-1f2b-4c3d-9e8f-0a1b2c3d4e5f","time":"2026-06-15T02:14:07Z","actor":"user:alice","data":{"text":" "}}
        """);

    // When it is published
    int exit = run("--bootstrap-servers", NO_BROKER, "--file", file.toString());

    // Then nothing is sent and the error names line 2 and the field
    assertThat(exit).isEqualTo(PublishCommand.BAD_INPUT);
    assertThat(err.toString()).contains("line 2", "$.data.text", "must not be blank");
  }

  @Test
  void of_many_bad_lines_the_first_is_named_whatever_order_they_are_checked_in(@TempDir Path dir) throws IOException {
    // Given 2,000 lines with bad ones at lines 1,201 and 1,700 (blank notes) and 1,800 (a stored event):
    // the first by number is the one to fix first
    List<String> lines = noteLines(2_000);
    lines.set(1_200, lines.get(1_200).replace("\"update 1201\"", "\" \""));
    lines.set(1_699, lines.get(1_699).replace("\"update 1700\"", "\" \""));
    lines.set(1_799, lines.get(1_799).replace("\"data\"", "\"ingestedat\":\"2026-06-15T02:14:08Z\",\"data\""));
    byte[] content = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);

    // When it is checked by one to seven validators at once (each a stretch of the file), the error names
    // line 1,201 in the whole file
    for (int validators = 1; validators <= 7; validators++) {
      int parts = validators;
      assertThatThrownBy(() -> PublishCommand.lines("events.jsonl", content, parts))
          .as("%d validators", parts)
          .hasMessageStartingWith("events.jsonl line 1201: $.data.text");
    }

    // And the command refuses it with nothing sent
    Path file = dir.resolve("events.jsonl");
    Files.write(file, content);
    assertThat(run("--bootstrap-servers", NO_BROKER, "--file", file.toString())).isEqualTo(PublishCommand.BAD_INPUT);
    assertThat(err.toString()).contains("line 1201:", "$.data.text").doesNotContain("line 1700", "line 1800");
  }

  @Test
  void a_file_checked_in_stretches_gives_every_event_in_file_order_as_it_was_written() {
    // Given 3,000 events with blank lines, CRLF endings and no newline after the last
    List<String> lines = noteLines(3_000);
    StringBuilder file = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      file.append(lines.get(i)).append(i % 7 == 0 ? "\r\n" : "\n");
      if (i % 500 == 0) file.append("   \n");
    }
    file.setLength(file.length() - 1);
    byte[] content = file.toString().getBytes(StandardCharsets.UTF_8);

    for (int validators = 1; validators <= 7; validators++) {
      // When it is checked by that many validators at once
      List<PublishCommand.Line> read = PublishCommand.lines("events.jsonl", content, validators);

      // Then every event comes once, in file order, its bytes the line as written (without its line end)
      assertThat(read.stream().map(line -> new String(line.bytes(), StandardCharsets.UTF_8)).toList())
          .as("%d validators", validators)
          .isEqualTo(lines.stream().map(String::strip).toList());
      assertThat(read.stream().map(PublishCommand.Line::id).toList())
          .isEqualTo(IntStream.rangeClosed(1, 3_000).mapToObj(PublishCommandTest::lineId).toList());
    }
  }

  @Test
  void a_line_ends_at_the_first_newline_wherever_it_falls_in_a_word() {
    // Given bytes with newlines (and bytes that differ from one only in a bit) at every position of a word
    java.util.Random random = new java.util.Random(20261207);
    byte[] content = new byte[4_096];
    for (int i = 0; i < content.length; i++) {
      int kind = random.nextInt(12);
      content[i] = (byte) (kind == 0 ? '\n' : kind == 1 ? '\n' ^ (1 << random.nextInt(8)) : kind == 2 ? 0 : random.nextInt(256));
    }
    // When a line end is looked for from and to anywhere, Then it is where a byte-by-byte look finds it
    for (int from = 0; from < 200; from++) {
      for (int to = from; to < from + 200; to++) {
        int expected = from;
        while (expected < to && content[expected] != '\n') expected++;
        assertThat(PublishCommand.lineEnd(content, from, to)).as("[%d, %d)", from, to).isEqualTo(expected);
      }
    }
    for (int from = 0; from < content.length; from += 1 + random.nextInt(40)) {
      int expected = from;
      while (expected < content.length && content[expected] != '\n') expected++;
      assertThat(PublishCommand.lineEnd(content, from, content.length)).isEqualTo(expected);
    }
  }

  /** Valid note lines, numbered from 1, each its own event id (see {@link #lineId}). */
  private static List<String> noteLines(int count) {
    String line = "{\"specversion\":\"1.0\",\"id\":\"%s\",\"source\":\"cli\",\"type\":\"quorum.note.added\","
        + "\"subject\":\"8d0c5a3e-1f2b-4c3d-9e8f-0a1b2c3d4e5f\",\"time\":\"2026-06-15T02:14:07Z\","
        + "\"actor\":\"user:alice\",\"data\":{\"text\":\"update %d\"}}";
    List<String> lines = new ArrayList<>(count);
    for (int i = 1; i <= count; i++) lines.add(String.format(line, lineId(i), i));
    return lines;
  }

  private static UUID lineId(int number) {
    return UUID.nameUUIDFromBytes(("line " + number).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void a_file_holding_a_stored_event_is_refused_before_anything_is_sent(@TempDir Path dir) throws IOException {
    // Given a line copied from the committed topic: it carries what only the pipeline sets
    Path file = dir.resolve("events.jsonl");
    Files.writeString(file, """
        {"specversion":"1.0","id":"0d5a9a8e-3c5b-4a53-9f0e-5b8f3e0c2a11","source":"cli","type":"quorum.incident.acknowledged","subject":"8d0c5a3e-1f2b-4c3d-9e8f-0a1b2c3d4e5f","time":"2026-06-15T02:14:07Z","actor":"user:alice","ingestedat":"2026-06-15T02:14:08Z","recordedat":"2026-06-15T02:14:09Z","sourcepartition":0,"sourceoffset":7,"data":{}}
        """);

    int exit = run("--bootstrap-servers", NO_BROKER, "--file", file.toString());

    assertThat(exit).isEqualTo(PublishCommand.BAD_INPUT);
    assertThat(err.toString()).contains("line 1", "$.ingestedat");
  }

  @Test
  void one_event_with_invalid_data_is_refused_naming_the_field() {
    int exit = run("-b", NO_BROKER, "--type", "quorum.severity.changed", "--incident", "8d0c5a3e-1f2b-4c3d-9e8f-0a1b2c3d4e5f",
        "--data", "{\"severity\":\"apocalyptic\"}");
    assertThat(exit).isEqualTo(PublishCommand.BAD_INPUT);
    assertThat(err.toString()).contains("$.data.severity", "critical, error, warning, info");
  }

  @Test
  void an_incident_that_is_not_a_uuid_or_malformed_data_are_refused() {
    assertThat(run("-b", NO_BROKER, "-t", "quorum.incident.acknowledged", "-i", "INC-42")).isEqualTo(PublishCommand.BAD_INPUT);
    assertThat(err.toString()).contains("$.subject");
    assertThat(run("-b", NO_BROKER, "-t", "quorum.note.added", "-i", "8d0c5a3e-1f2b-4c3d-9e8f-0a1b2c3d4e5f", "-d", "{text:"))
        .isEqualTo(PublishCommand.BAD_INPUT);
    assertThat(err.toString()).contains("$.data");
  }

  @Test
  void a_kafka_property_that_would_weaken_delivery_is_refused() {
    int exit = run("-b", NO_BROKER, "--kafka", "acks=0", "-t", "quorum.incident.acknowledged", "-i", "8d0c5a3e-1f2b-4c3d-9e8f-0a1b2c3d4e5f");
    assertThat(exit).isEqualTo(PublishCommand.BAD_INPUT);
    assertThat(err.toString()).contains("acks");
  }

  @Test
  void a_file_is_sent_in_large_producer_batches_unless_the_operator_says_otherwise() {
    CommandLine file = PublishCommand.commandLine();
    file.parseArgs("-b", NO_BROKER, "--file", "events.jsonl");
    CommandLine chosen = PublishCommand.commandLine();
    chosen.parseArgs("-b", NO_BROKER, "--file", "events.jsonl", "--kafka", "batch.size=65536");
    CommandLine single = PublishCommand.commandLine();
    single.parseArgs("-b", NO_BROKER, "-t", "quorum.incident.acknowledged", "-i", "8d0c5a3e-1f2b-4c3d-9e8f-0a1b2c3d4e5f");

    assertThat(batchSize(file)).isEqualTo(Integer.toString(PublishCommand.FILE_BATCH_BYTES));
    assertThat(batchSize(chosen)).isEqualTo("65536");
    assertThat(batchSize(single)).isNull();
  }

  private static String batchSize(CommandLine line) {
    PublishCommand command = line.getCommand();
    return command.publisherConfig().producerProperties().getProperty("batch.size");
  }

  @Test
  void file_and_single_event_options_exclude_each_other() {
    assertThat(run("-b", NO_BROKER, "--file", "x.jsonl", "-t", "quorum.incident.acknowledged", "-i", "x")).isEqualTo(PublishCommand.BAD_INPUT);
    assertThat(run("-b", NO_BROKER)).isEqualTo(PublishCommand.BAD_INPUT);
  }

  @Test
  void durations_are_read_as_operators_write_them() {
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parse("PT1H")).isEqualTo(Duration.ofHours(1));
    assertThatThrownBy(() -> Durations.parse("soon")).hasMessageContaining("not a duration");
  }

  private int run(String... args) {
    CommandLine line = PublishCommand.commandLine();
    line.setErr(new PrintWriter(err, true));
    line.setOut(new PrintWriter(new StringWriter(), true));
    return line.execute(args);
  }
}
