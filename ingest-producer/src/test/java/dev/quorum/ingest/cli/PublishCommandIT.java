package dev.quorum.ingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.event.Event;
import dev.quorum.event.EventData.NoteAdded;
import dev.quorum.event.Ids;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.ingest.testing.TopicReader;
import dev.quorum.stack.KafkaBroker;
import dev.quorum.stack.junit.WithKafka;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@WithKafka
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PublishCommandIT {
  private static final String TOPIC = "publish-cli-it.actions.v1";

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void a_file_of_events_is_published_with_a_progress_bar(KafkaBroker kafka, @TempDir Path dir) throws IOException {
    // Given a file of 1,200 events on 12 incidents, large enough (1.3 MB) to be checked in stretches at once
    kafka.createTopic(TOPIC, 3, Map.of("message.timestamp.type", "LogAppendTime"));
    String padding = "x".repeat(900);
    List<Event> events = IntStream.range(0, 1200)
        .mapToObj(i -> Event.of(Ids.newEventId(), "cli", new UUID(0, i % 12), Instant.parse("2026-06-15T02:14:07Z"), "user:ops",
            new NoteAdded("note " + i + " " + padding)))
        .toList();
    Path file = dir.resolve("events.jsonl");
    List<String> lines = new java.util.ArrayList<>(events.stream().map(EventCodec::encodeToString).toList());
    // a line as another tool writes it (spaces, another key order, CRLF): validated, then sent as it was written
    Event spaced = Event.of(Ids.newEventId(), "cli", new UUID(0, 1), Instant.parse("2026-06-15T02:14:07Z"), "user:ops",
        new NoteAdded("written by hand"));
    String handWritten = "{ \"data\": {\"text\": \"written by hand\"}, \"specversion\": \"1.0\", \"id\": \"" + spaced.id()
        + "\", \"source\": \"cli\", \"type\": \"quorum.note.added\", \"subject\": \"" + spaced.incidentId()
        + "\", \"time\": \"2026-06-15T02:14:07Z\", \"actor\": \"user:ops\" }\r";
    lines.add(handWritten);
    Files.write(file, lines);

    // When it is published
    int exit = run("--bootstrap-servers", kafka.bootstrapServers(), "--topic", TOPIC, "--file", file.toString());

    // Then every event is on the topic once, and the progress reached the end
    assertThat(exit).as(err.toString()).isZero();
    // (not a terminal here: plain progress lines, no carriage returns)
    assertThat(err.toString()).contains("publish: 1,201/1,201 (100%)").doesNotContain("\r");
    assertThat(out.toString()).contains("published 1201 events to " + TOPIC);
    try (TopicReader reader = new TopicReader(kafka, TOPIC)) {
      var records = reader.readAll();
      List<Event> onTopic = records.stream().map(r -> EventCodec.decode(r.value())).toList();
      assertThat(onTopic).containsAll(events).contains(spaced);
      assertThat(Files.size(file)).isGreaterThan(PublishCommand.PARALLEL_BYTES);
      // each incident's events are on the topic in file order
      for (int incident = 0; incident < 12; incident++) {
        UUID id = new UUID(0, incident);
        assertThat(onTopic.stream().filter(e -> e.incidentId().equals(id) && !e.equals(spaced)).toList())
            .isEqualTo(events.stream().filter(e -> e.incidentId().equals(id)).toList());
      }
      // each record's value is its line's bytes, not a second encoding
      assertThat(records.stream().map(r -> new String(r.value(), java.nio.charset.StandardCharsets.UTF_8)))
          .contains(handWritten.strip());
    }
  }

  @Test
  void one_event_from_options_is_published(KafkaBroker kafka) {
    // Given an incident
    kafka.createTopic(TOPIC, 3, Map.of("message.timestamp.type", "LogAppendTime"));
    UUID incident = UUID.randomUUID();

    // When an operator records a note on it
    int exit = run("-b", kafka.bootstrapServers(), "--topic", TOPIC, "--type", "quorum.note.added", "--incident", incident.toString(),
        "--data", "{\"text\":\"failover started\"}", "--actor", "user:alice");

    // Then the note is on the topic, keyed by the incident
    assertThat(exit).as(err.toString()).isZero();
    try (TopicReader reader = new TopicReader(kafka, TOPIC)) {
      List<Event> mine = reader.readAll().stream().filter(r -> r.key().equals(incident.toString()))
          .map(r -> EventCodec.decode(r.value())).toList();
      assertThat(mine).singleElement().satisfies(event -> {
        assertThat(event.data()).isEqualTo(new NoteAdded("failover started"));
        assertThat(event.actor()).isEqualTo("user:alice");
        assertThat(out.toString()).contains(event.id().toString());
      });
    }
  }

  private int run(String... args) {
    CommandLine line = PublishCommand.commandLine();
    line.setErr(new PrintWriter(err, true));
    line.setOut(new PrintWriter(out, true));
    return line.execute(args);
  }
}
