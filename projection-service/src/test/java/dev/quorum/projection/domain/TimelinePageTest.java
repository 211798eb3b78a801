package dev.quorum.projection.domain;

import static dev.quorum.event.testing.Catalogue.ack;
import static dev.quorum.event.testing.Catalogue.resolved;
import static dev.quorum.event.testing.Catalogue.triggered;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.event.fold.Fold;
import dev.quorum.event.fold.TimelineEntry;
import dev.quorum.event.testing.History;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TimelinePageTest {
  private final History history = History.random();
  private final List<TimelineEntry> timeline;

  TimelinePageTest() {
    history.add(triggered());
    history.add(ack());
    history.add(resolved());
    history.add(triggered());
    history.add(resolved());
    timeline = Fold.timeline(history.events());
  }

  @Test
  void pages_continue_after_the_last_entry_shown_and_end_without_a_next() {
    TimelinePage first = TimelinePage.of(timeline.iterator(), null, null, 2);
    TimelinePage second = TimelinePage.of(timeline.iterator(), first.next(), null, 2);
    TimelinePage last = TimelinePage.of(timeline.iterator(), second.next(), null, 2);

    assertThat(first.entries()).isEqualTo(timeline.subList(0, 2));
    assertThat(second.entries()).isEqualTo(timeline.subList(2, 4));
    assertThat(last.entries()).isEqualTo(timeline.subList(4, 5));
    assertThat(last.next()).isNull();
  }

  @Test
  void a_page_of_one_episode_skips_the_others() {
    TimelinePage second = TimelinePage.of(timeline.iterator(), null, 2, 10);

    assertThat(second.entries()).extracting(TimelineEntry::episode).containsExactly(2, 2);
    assertThat(second.next()).isNull();
  }

  @Test
  void a_full_page_says_where_to_go_on_only_when_more_match() {
    assertThat(TimelinePage.of(timeline.iterator(), null, 1, 3).next()).isNull();
    assertThat(TimelinePage.of(timeline.iterator(), null, 1, 2).next()).isEqualTo(timeline.get(1).event().orderKey());
  }
}
