package dev.quorum.projection.kafka;

import static dev.quorum.event.testing.Catalogue.ack;
import static dev.quorum.event.testing.Catalogue.assigned;
import static dev.quorum.event.testing.Catalogue.fired;
import static dev.quorum.event.testing.Catalogue.followup;
import static dev.quorum.event.testing.Catalogue.mergedInto;
import static dev.quorum.event.testing.Catalogue.resolved;
import static dev.quorum.event.testing.Catalogue.role;
import static dev.quorum.event.testing.Catalogue.signalResolved;
import static dev.quorum.event.testing.Catalogue.triggered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quorum.event.Event;
import dev.quorum.event.Role;
import dev.quorum.event.fold.Episode;
import dev.quorum.event.fold.Fold;
import dev.quorum.event.fold.IncidentState;
import dev.quorum.event.fold.TimelineEntry;
import dev.quorum.event.testing.EventArbitraries;
import dev.quorum.event.testing.History;
import dev.quorum.projection.domain.Checkpoint;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitrary;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class BinaryValuesTest {

  @Property(tries = 300)
  void every_state_episode_and_checkpoint_the_fold_makes_reads_back_equal(@ForAll("histories") List<Event> history) {
    IncidentState before = IncidentState.empty(history.getFirst().incidentId());
    for (int i = 1; i <= history.size(); i++) { // every state on the way, and the checkpoint before each event
      IncidentState state = Fold.replay(history.subList(0, i)).state();
      assertThat(roundTrip(ViewSerdes.state(), state)).isEqualTo(state);
      Checkpoint checkpoint = new Checkpoint(history.get(i - 1).orderKey(), before);
      assertThat(roundTrip(ViewSerdes.checkpoint(), checkpoint)).isEqualTo(checkpoint);
      // with the reach of the events before it (as-of answers start from it), and with part of one
      Checkpoint.Reach reach = history.subList(0, i - 1).stream()
          .reduce(Checkpoint.Reach.NONE, Checkpoint.Reach::with, Checkpoint.Reach::with);
      for (Checkpoint.Reach some : List.of(reach, new Checkpoint.Reach(null, history.get(i - 1).occurredAt()))) {
        Checkpoint reaching = new Checkpoint(history.get(i - 1).orderKey(), before, some);
        assertThat(roundTrip(ViewSerdes.checkpoint(), reaching)).isEqualTo(reaching);
      }
      before = state;
    }
    IncidentState folded = Fold.replay(history).state();
    assertThat(roundTrip(ViewSerdes.state(), folded)).isEqualTo(folded);
    for (Episode episode : folded.episodes()) assertThat(roundTrip(ViewSerdes.episode(), episode)).isEqualTo(episode);
  }

  @Property(tries = 1000)
  void any_text_is_written_as_its_utf8_length_and_bytes_and_an_enum_as_its_name(@ForAll String text) {
    for (String value : List.of(text, "é", "\u0080", "\u00ff", "😀", "\ud800", "ascii " + text)) {
      BinaryValues.Out out = new BinaryValues.Out();
      out.integer(7); // not at the start of the buffer
      out.text(value);
      byte[] utf8 = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      byte[] expected = java.nio.ByteBuffer.allocate(8 + utf8.length).putInt(7).putInt(utf8.length).put(utf8).array();
      assertThat(out.bytes()).isEqualTo(expected);
    }
    BinaryValues.Out name = new BinaryValues.Out();
    name.name(dev.quorum.event.fold.Status.ACKNOWLEDGED);
    BinaryValues.Out written = new BinaryValues.Out();
    written.text("ACKNOWLEDGED");
    assertThat(name.bytes()).isEqualTo(written.bytes());
  }

  @Property(tries = 100)
  void values_stored_as_json_by_earlier_builds_are_still_read(@ForAll("histories") List<Event> history) {
    IncidentState state = Fold.replay(history).state();
    assertThat(fromJson(ViewSerdes.state(), IncidentState.class, state)).isEqualTo(state);
    for (Episode episode : state.episodes()) {
      assertThat(fromJson(ViewSerdes.episode(), Episode.class, episode)).isEqualTo(episode);
      Checkpoint checkpoint = new Checkpoint(history.getFirst().orderKey(), state);
      assertThat(fromJson(ViewSerdes.checkpoint(), Checkpoint.class, checkpoint)).isEqualTo(checkpoint);
    }
  }

  @Property(tries = 200)
  void every_timeline_entry_reads_back_equal_and_json_entries_of_earlier_builds_too(
      @ForAll("histories") List<Event> history) {
    for (TimelineEntry entry : Fold.replay(history).timeline()) {
      assertThat(roundTrip(ViewSerdes.timelineEntry(), entry)).isEqualTo(entry);
      byte[] json = ViewSerdes.timelineJson().serializer().serialize("t", entry);
      assertThat(json[0]).isEqualTo((byte) '{');
      assertThat(ViewSerdes.timelineEntry().deserializer().deserialize("t", json)).isEqualTo(entry);
    }
  }

  @Test
  void an_episode_with_every_field_set_reads_back_equal_and_smaller_than_its_json() {
    History target = History.random();
    History history = History.random();
    IncidentState state = IncidentState.empty(history.incidentId());
    for (Event event : List.of(history.add(triggered()), history.add(fired("cpu")), history.add(fired("disk")),
        history.add(signalResolved("disk")), history.add(ack()), history.add(assigned("ana")),
        history.add(role(Role.COMMANDER, "ana")), history.add(followup("f-1")), history.add(resolved()),
        history.add(triggered()), history.add(mergedInto(target.incidentId())))) {
      state = Fold.apply(state, event).state();
    }
    assertThat(state.episodes()).hasSize(2);
    Episode first = state.episodes().getFirst();
    assertThat(first.roleHistory()).isNotEmpty();
    assertThat(first.followups()).isNotEmpty();
    assertThat(first.resolvedBy()).isNotNull();
    assertThat(state.latest().orElseThrow().mergedInto()).isEqualTo(target.incidentId());

    assertThat(roundTrip(ViewSerdes.state(), state)).isEqualTo(state);
    assertThat(roundTrip(ViewSerdes.episode(), first)).isEqualTo(first);
    byte[] binary = ViewSerdes.episode().serializer().serialize("t", first);
    assertThat(binary[0]).isEqualTo(BinaryValues.VERSION);
    assertThat(binary.length).isLessThan(ViewSerdes.json(Episode.class).serializer().serialize("t", first).length);
  }

  @Test
  void an_episode_written_in_the_state_and_then_alone_is_the_same_and_another_one_never_the_last() {
    History history = History.random();
    IncidentState first = Fold.apply(IncidentState.empty(history.incidentId()), history.add(triggered())).state();
    IncidentState second = Fold.apply(first, history.add(ack())).state();
    Episode one = first.latest().orElseThrow();
    Episode two = second.latest().orElseThrow();

    ViewSerdes.state().serializer().serialize("t", first); // remembers `one`
    assertThat(roundTrip(ViewSerdes.episode(), one)).isEqualTo(one);
    assertThat(roundTrip(ViewSerdes.episode(), two)).isEqualTo(two).isNotEqualTo(one);
    assertThat(roundTrip(ViewSerdes.state(), second)).isEqualTo(second);
    assertThat(roundTrip(ViewSerdes.episode(), one)).isEqualTo(one);
  }

  @Test
  void large_maps_kept_as_bytes_are_written_anew_once_they_change() {
    History history = History.random();
    IncidentState state = Fold.apply(IncidentState.empty(history.incidentId()), history.add(triggered())).state();
    for (int i = 0; i < BinaryValues.LARGE; i++) {
      state = Fold.apply(state, history.add(followup("f-" + i))).state();
      state = Fold.apply(state, history.add(fired("s-" + i))).state();
    }
    assertThat(state.openFollowups()).hasSizeGreaterThanOrEqualTo(BinaryValues.LARGE);
    assertThat(state.latest().orElseThrow().signals()).hasSizeGreaterThanOrEqualTo(BinaryValues.LARGE);
    assertThat(roundTrip(ViewSerdes.state(), state)).isEqualTo(state);

    IncidentState noted = Fold.apply(state, history.add(ack())).state(); // the same maps
    assertThat(noted.openFollowups()).isSameAs(state.openFollowups());
    assertThat(roundTrip(ViewSerdes.state(), noted)).isEqualTo(noted);

    IncidentState more = Fold.apply(noted, history.add(followup("f-last"))).state();
    more = Fold.apply(more, history.add(signalResolved("s-0"))).state();
    assertThat(roundTrip(ViewSerdes.state(), more)).isEqualTo(more).isNotEqualTo(noted);
    assertThat(roundTrip(ViewSerdes.episode(), more.latest().orElseThrow())).isEqualTo(more.latest().orElseThrow());
  }

  @Test
  void a_timeline_entry_keeps_the_bytes_its_event_was_decoded_from_and_never_another_events() {
    History history = History.random();
    Event first = history.add(triggered());
    Event second = history.add(ack());
    byte[] bytes = dev.quorum.event.codec.EventCodec.encode(first);
    Event decoded = dev.quorum.event.codec.EventCodec.decode(bytes);
    BinaryValues.decoded(decoded, bytes);

    TimelineEntry entry = Fold.apply(IncidentState.empty(history.incidentId()), decoded).entry();
    assertThat(roundTrip(ViewSerdes.timelineEntry(), entry)).isEqualTo(entry);
    TimelineEntry other = Fold.apply(Fold.apply(IncidentState.empty(history.incidentId()), first).state(), second).entry();
    assertThat(roundTrip(ViewSerdes.timelineEntry(), other)).isEqualTo(other);
  }

  @Test
  void a_broken_value_is_a_serialization_error_not_a_wrong_value() {
    History history = History.random();
    IncidentState state = Fold.apply(IncidentState.empty(history.incidentId()), history.add(triggered())).state();
    byte[] bytes = ViewSerdes.state().serializer().serialize("t", state);

    assertThatThrownBy(() -> ViewSerdes.state().deserializer().deserialize("t", Arrays.copyOf(bytes, bytes.length - 3)))
        .isInstanceOf(SerializationException.class);
    assertThatThrownBy(() -> ViewSerdes.state().deserializer().deserialize("t", Arrays.copyOf(bytes, bytes.length + 1)))
        .isInstanceOf(SerializationException.class);
  }

  @Provide
  Arbitrary<List<Event>> histories() {
    return EventArbitraries.histories();
  }

  private static <T> T roundTrip(Serde<T> serde, T value) {
    return serde.deserializer().deserialize("t", serde.serializer().serialize("t", value));
  }

  private static <T> T fromJson(Serde<T> serde, Class<T> type, T value) {
    byte[] json = ViewSerdes.json(type).serializer().serialize("t", value);
    assertThat(json[0]).isEqualTo((byte) '{');
    return serde.deserializer().deserialize("t", json);
  }
}
