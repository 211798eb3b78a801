package dev.quorum.projection.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.event.Event;
import dev.quorum.event.fold.Fold;
import dev.quorum.event.fold.Status;
import dev.quorum.event.testing.EventArbitraries;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class ListingPropertiesTest {

  @Property(tries = 200)
  void pages_merged_from_instances_walk_the_same_list_as_one_instance(
      @ForAll("items") List<Listing.Item> items, @ForAll @IntRange(min = 1, max = 4) int instances,
      @ForAll @IntRange(min = 1, max = 7) int limit, @ForAll long seed) {
    // Given: the items spread over instances, and a filter that keeps some
    Random random = new Random(seed);
    List<List<Listing.Item>> shares = new ArrayList<>();
    for (int i = 0; i < instances; i++) shares.add(new ArrayList<>());
    items.forEach(item -> shares.get(random.nextInt(instances)).add(item));
    Listing.Filter filter = new Listing.Filter(Set.of(Status.TRIGGERED, Status.RESOLVED, Status.ACKNOWLEDGED), null, null);

    // When: walking the pages, each merged from every instance's page
    List<Listing.Item> walked = new ArrayList<>();
    Listing.Position after = null;
    do {
      List<Listing.Page> pages = new ArrayList<>();
      for (List<Listing.Item> share : shares) pages.add(Listing.page(share, filter, after, limit));
      Listing.Page merged = Listing.merge(pages, limit);
      assertThat(merged.items().size()).isLessThanOrEqualTo(limit);
      walked.addAll(merged.items());
      after = merged.next() == null ? null : Listing.Position.fromCursor(merged.next());
    } while (after != null);

    // Then: every matching item once, in list order
    List<Listing.Item> expected = items.stream().filter(i -> filter.matches(i.episode())).sorted(Listing.ORDER).toList();
    assertThat(walked).isEqualTo(expected);
  }

  @Provide
  Arbitrary<List<Listing.Item>> items() {
    return listingItems();
  }

  /** The episodes of a few folded histories, each listed once: what a listing sorts and pages. */
  static Arbitrary<List<Listing.Item>> listingItems() {
    return EventArbitraries.histories().list().ofMaxSize(6).map(histories -> {
      List<Listing.Item> items = new ArrayList<>();
      for (List<Event> history : histories) {
        var state = Fold.fold(history);
        state.episodes().forEach(e -> items.add(new Listing.Item(state.incidentId(), e)));
      }
      return items;
    }).filter(list -> list.stream().map(i -> i.incidentId() + "/" + i.episode().number()).distinct().count() == list.size());
  }
}
