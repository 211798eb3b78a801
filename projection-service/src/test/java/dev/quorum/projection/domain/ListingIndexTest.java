package dev.quorum.projection.domain;

import static dev.quorum.event.testing.Catalogue.fired;
import static dev.quorum.event.testing.Catalogue.signalResolved;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.event.Event;
import dev.quorum.event.fold.Episode;
import dev.quorum.event.fold.Fold;
import dev.quorum.event.fold.Status;
import dev.quorum.event.testing.History;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ListingIndexTest {

  /** The index as a sorted map of key bytes, counting the episodes a page reads. */
  static final class SortedIndex implements Listing.Index {
    final TreeMap<byte[], Episode> byKey = new TreeMap<>(Arrays::compareUnsigned);
    int episodesRead;

    SortedIndex(List<Listing.Item> items) {
      items.forEach(item -> byKey.put(ListingKey.of(item.incidentId(), item.episode()).toBytes(), item.episode()));
    }

    @Override
    public Iterable<ListingKey> keys(Status status, ListingKey from) {
      byte[] start = from == null ? ListingKey.first(status) : from.toBytes();
      return () -> byKey.subMap(start, true, ListingKey.last(status), true).keySet().stream()
          .map(ListingKey::fromBytes).iterator();
    }

    @Override
    public Episode episode(ListingKey key) {
      episodesRead++;
      return byKey.get(key.toBytes());
    }
  }

  @Test
  void a_page_of_open_incidents_reads_a_page_not_the_history() {
    // Given: a flapping alert with 1,000 resolved episodes and an open one, and four other open incidents
    List<Listing.Item> items = new ArrayList<>();
    History flapping = History.random();
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      events.add(flapping.add(fired("fp")));
      events.add(flapping.add(signalResolved("fp")));
    }
    events.add(flapping.add(fired("fp")));
    Fold.fold(events).episodes().forEach(e -> items.add(new Listing.Item(flapping.incidentId(), e)));
    for (int i = 0; i < 4; i++) {
      History other = History.random();
      items.add(new Listing.Item(other.incidentId(), Fold.fold(List.of(other.add(fired("fp")))).latest().orElseThrow()));
    }
    SortedIndex index = new SortedIndex(items);
    Listing.Filter open = new Listing.Filter(Set.of(Status.TRIGGERED), null, null);

    // When
    Listing.Page page = Listing.page(index, open, null, 2);

    // Then: the page of the scan over everything, reading three episodes
    assertThat(page).isEqualTo(Listing.page(items, open, null, 2));
    assertThat(index.episodesRead).isEqualTo(3);
  }

  @Property(tries = 50)
  void the_index_walks_the_list_of_the_scan(
      @ForAll("items") List<Listing.Item> items, @ForAll("filters") Listing.Filter filter,
      @ForAll @IntRange(min = 1, max = 5) int limit) {
    SortedIndex index = new SortedIndex(items);
    Listing.Position after = null;
    do {
      Listing.Page expected = Listing.page(items, filter, after, limit);
      Listing.Page page = Listing.page(index, filter, after, limit);
      assertThat(page).isEqualTo(expected);
      after = page.next() == null ? null : Listing.Position.fromCursor(page.next());
    } while (after != null);
  }

  @Property(tries = 50)
  void key_bytes_sort_in_list_order_within_a_status_and_read_back(@ForAll("items") List<Listing.Item> items) {
    Map<byte[], Listing.Item> byBytes = new HashMap<>();
    List<byte[]> keys = new ArrayList<>();
    for (Listing.Item item : items) {
      ListingKey key = new ListingKey(Status.TRIGGERED, item.episode().triggeredAt(), item.incidentId(), item.episode().number());
      assertThat(ListingKey.fromBytes(key.toBytes())).isEqualTo(key);
      byte[] bytes = key.toBytes();
      byBytes.put(bytes, item); // by identity: the same array is sorted below
      keys.add(bytes);
    }
    keys.sort(Arrays::compareUnsigned);
    assertThat(keys.stream().map(byBytes::get).toList()).isEqualTo(items.stream().sorted(Listing.ORDER).toList());
  }

  @Provide
  Arbitrary<List<Listing.Item>> items() {
    return ListingPropertiesTest.listingItems();
  }

  @Provide
  Arbitrary<Listing.Filter> filters() {
    return Arbitraries.of(Status.class).set().ofMaxSize(3).flatMap(statuses ->
        Arbitraries.of("checkout", "search").injectNull(0.5).map(service -> new Listing.Filter(statuses, service, null)));
  }
}
