package dev.quorum.export.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.event.Event;
import dev.quorum.event.EventData.IncidentTriggered;
import dev.quorum.event.EventData.NoteAdded;
import dev.quorum.event.fold.OrderKey;
import dev.quorum.event.testing.History;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class IncidentStreamsTest {

  /** Pages over a list already sorted by incident and fold order, as the store's scan returns them; counts the reads. */
  private static final class ListPages implements EventPages {
    final List<Event> sorted;
    final List<Integer> pageSizes = new ArrayList<>();

    ListPages(List<Event> events) {
      sorted = events.stream().sorted(Comparator.comparing(Event::incidentId).thenComparing(Event::orderKey)).toList();
    }

    @Override
    public long count() {
      return sorted.size();
    }

    @Override
    public List<Event> page(UUID afterIncident, OrderKey after, int limit) {
      List<Event> page = sorted.stream()
          .filter(e -> after == null || e.incidentId().compareTo(afterIncident) > 0
              || e.incidentId().equals(afterIncident) && e.orderKey().compareTo(after) > 0)
          .limit(limit).toList();
      pageSizes.add(page.size());
      return page;
    }
  }

  @Test
  void each_incident_comes_once_with_all_its_events_in_fold_order_whatever_the_page_boundaries() {
    // Given three incidents of 3, 1 and 4 events
    List<Event> all = new ArrayList<>();
    for (int size : new int[] {3, 1, 4}) {
      History h = History.random();
      h.add(new IncidentTriggered("t", "s", null, null));
      for (int i = 1; i < size; i++) h.add(new NoteAdded("n" + i));
      all.addAll(h.events());
    }
    ListPages pages = new ListPages(all);

    // When they are read two events per page
    List<List<Event>> streams = new ArrayList<>();
    long read = IncidentStreams.forEach(pages, 2, streams::add);

    // Then every incident is handed over whole, once, in the store's order, and no page was larger than asked
    assertThat(read).isEqualTo(8);
    assertThat(streams).hasSize(3);
    List<Event> joined = streams.stream().flatMap(List::stream).toList();
    assertThat(joined).containsExactlyElementsOf(pages.sorted);
    for (List<Event> stream : streams) {
      assertThat(stream).extracting(Event::incidentId).containsOnly(stream.getFirst().incidentId());
    }
    assertThat(streams).extracting(List::size).containsExactlyInAnyOrder(3, 1, 4);
    assertThat(pages.pageSizes).containsExactly(2, 2, 2, 2, 0);
  }

  @Test
  void an_empty_log_gives_no_stream() {
    List<List<Event>> streams = new ArrayList<>();
    assertThat(IncidentStreams.forEach(new ListPages(List.of()), 10, streams::add)).isZero();
    assertThat(streams).isEmpty();
  }
}
