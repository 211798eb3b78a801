package dev.quorum.projection.kafka;

import dev.quorum.event.fold.Episode;
import dev.quorum.event.fold.IncidentState;
import dev.quorum.event.fold.OrderKey;
import dev.quorum.event.fold.Status;
import dev.quorum.event.fold.TimelineEntry;
import dev.quorum.projection.domain.AsOfViews;
import dev.quorum.projection.domain.Bucket;
import dev.quorum.projection.domain.Checkpoint;
import dev.quorum.projection.domain.LateMarks;
import dev.quorum.projection.domain.ViewStore;
import dev.quorum.projection.domain.BucketKey;
import dev.quorum.projection.domain.EpisodeItems;
import dev.quorum.projection.domain.EpisodeKey;
import dev.quorum.projection.domain.Listing;
import dev.quorum.projection.domain.ListingKey;
import dev.quorum.projection.domain.MergedSignals;
import dev.quorum.projection.domain.TimelineKey;
import dev.quorum.projection.domain.TimelinePage;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads the views this instance holds, one named partition at a time, and only from an active task that
 * is not restoring: a partition this instance does not run (yet), one it is restoring, or one whose task
 * has not caught up since it started here ({@link CatchUpGate}) throws {@link InvalidStateStoreException}
 * and the caller answers "try again" — never an answer from a partial store.
 */
public final class LocalViews {
  private final KafkaStreams streams;
  private final StreamsHealth health;

  public LocalViews(KafkaStreams streams, StreamsHealth health) {
    this.streams = streams;
    this.health = health;
  }

  /** The incident's state, its latest episode shown with the signals merged into it (ADR 7). */
  public Optional<IncidentState> state(UUID incidentId, int partition) {
    IncidentState state = this.<String, IncidentState>store(StoreNames.STATE, partition).get(incidentId.toString());
    if (state == null || state.latest().isEmpty()) return Optional.ofNullable(state);
    Episode shown = shown(incidentId, state.latest().get(), partition);
    return Optional.of(shown == state.latest().get() ? state : state.withEpisodes(List.of(shown)));
  }

  /** Whether the episode exists, without reading its items. */
  public boolean hasEpisode(UUID incidentId, int number, int partition) {
    return this.<Bytes, Episode>store(StoreNames.EPISODES, partition).get(Bytes.wrap(new EpisodeKey(incidentId, number).toBytes())) != null;
  }

  /** Up to {@code limit} of the episode's signals after {@code after} (null: from the first), by fingerprint. */
  public List<EpisodeItems.Item> signals(UUID incidentId, int number, String after, int limit, int partition) {
    return items(incidentId, number, EpisodeItems.SIGNAL, after, limit, partition);
  }

  /**
   * Up to {@code limit} of the episode's items of {@code kind} ({@link EpisodeItems#SIGNAL}, {@link
   * EpisodeItems#ASSIGNEE}, {@link EpisodeItems#FOLLOWUP}) after the one named {@code after} (null: from the
   * first), by name.
   */
  public List<EpisodeItems.Item> items(UUID incidentId, int number, byte kind, String after, int limit, int partition) {
    ReadOnlyKeyValueStore<Bytes, byte[]> store = store(StoreNames.ITEMS, partition);
    List<EpisodeItems.Item> page = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = store.range(Bytes.wrap(EpisodeItems.after(incidentId, number, kind, after)),
        Bytes.wrap(EpisodeItems.kindEnd(incidentId, number, kind)))) {
      while (it.hasNext() && page.size() < limit) page.add(ViewSerdes.item().deserializer().deserialize(null, it.next().value));
    }
    return page;
  }

  /** The episode, shown with the signals merged into it (ADR 7). */
  public Optional<Episode> episode(UUID incidentId, int number, int partition) {
    return Optional.ofNullable(shown(incidentId, this.<Bytes, Episode>store(StoreNames.EPISODES, partition)
        .get(Bytes.wrap(new EpisodeKey(incidentId, number).toBytes())), partition));
  }

  /** The stored episode with its items put back (ADR 8) and the signals merged into it (ADR 7). */
  private Episode shown(UUID incidentId, Episode episode, int partition) {
    if (episode == null) return null;
    Episode whole = EpisodeItems.assemble(episode, KafkaViewStore.items(
        this.<Bytes, byte[]>store(StoreNames.ITEMS, partition), incidentId, episode.number(), Integer.MAX_VALUE));
    return MergedSignals.onto(whole,
        KafkaViewStore.mergedSignals(this.<Bytes, MergedSignals>store(StoreNames.MERGED, partition), incidentId));
  }

  public Optional<TimelineEntry> timelineEntry(UUID incidentId, OrderKey key, int partition) {
    return Optional.ofNullable(this.<Bytes, TimelineEntry>store(StoreNames.TIMELINE, partition)
        .get(Bytes.wrap(new TimelineKey(incidentId, key).toBytes())));
  }

  /** Up to {@code limit} entries after {@code after} (null: from the first), optionally of one episode only. */
  public TimelinePage timeline(UUID incidentId, OrderKey after, Integer episode, int limit, int partition) {
    byte[] from = after == null ? TimelineKey.first(incidentId) : new TimelineKey(incidentId, after).toBytes();
    ReadOnlyKeyValueStore<Bytes, TimelineEntry> store = store(StoreNames.TIMELINE, partition);
    try (KeyValueIterator<Bytes, TimelineEntry> it = store.range(Bytes.wrap(from), Bytes.wrap(TimelineKey.last(incidentId)))) {
      return TimelinePage.of(values(it), after, episode, limit);
    }
  }

  /**
   * What an as-of answer from checkpoints reads of this partition's views (ADR 8): the stored state (not
   * the one shown with merged signals), checkpoints, late marks and the timeline.
   */
  public AsOfViews.Source asOf(int partition) {
    return asOf(store(StoreNames.STATE, partition), store(StoreNames.CHECKPOINTS, partition),
        store(StoreNames.APPLIED, partition), store(StoreNames.TIMELINE, partition));
  }

  /** What an as-of answer from checkpoints reads of these stores ({@link StoreNames}: state, checkpoints, applied, timeline). */
  public static AsOfViews.Source asOf(ReadOnlyKeyValueStore<String, IncidentState> states,
      ReadOnlyKeyValueStore<Bytes, Checkpoint> checkpoints, ReadOnlyKeyValueStore<Bytes, byte[]> applied,
      ReadOnlyKeyValueStore<Bytes, TimelineEntry> timeline) {
    return new AsOfViews.Source() {
      @Override
      public IncidentState state(UUID incidentId) {
        return states.get(incidentId.toString());
      }

      @Override
      public Checkpoint checkpoint(UUID incidentId, int number) {
        return checkpoints.get(Bytes.wrap(new EpisodeKey(incidentId, number).toBytes()));
      }

      @Override
      public LateMarks lateMarks(UUID incidentId) {
        return KafkaViewStore.lateMarks(applied, incidentId);
      }

      @Override
      public ViewStore.Cursor timelineFrom(UUID incidentId, OrderKey from) {
        return KafkaViewStore.timelineFrom(timeline, incidentId, from);
      }
    };
  }

  /** The listing page of the episodes in the given partitions, every one of which this instance must serve. */
  public Listing.Page incidents(Listing.Filter filter, Listing.Position after, int limit, Collection<Integer> partitions) {
    List<Listing.Page> pages = new ArrayList<>();
    for (int partition : partitions) {
      ReadOnlyKeyValueStore<Bytes, byte[]> index = store(StoreNames.LISTING, partition);
      ReadOnlyKeyValueStore<Bytes, Episode> episodes = store(StoreNames.EPISODES, partition);
      List<KeyValueIterator<Bytes, byte[]>> open = new ArrayList<>();
      try {
        pages.add(Listing.page(new Listing.Index() {
          @Override
          public Iterable<ListingKey> keys(Status status, ListingKey from) {
            KeyValueIterator<Bytes, byte[]> it = index.range(
                Bytes.wrap(from == null ? ListingKey.first(status) : from.toBytes()), Bytes.wrap(ListingKey.last(status)));
            open.add(it);
            return () -> new Iterator<>() {
              @Override
              public boolean hasNext() {
                return it.hasNext();
              }

              @Override
              public ListingKey next() {
                return ListingKey.fromBytes(it.next().key.get());
              }
            };
          }

          @Override
          public Episode episode(ListingKey key) {
            return shown(key.incidentId(),
                episodes.get(Bytes.wrap(new EpisodeKey(key.incidentId(), key.number()).toBytes())), partition);
          }
        }, filter, after, limit));
      } finally {
        open.forEach(KeyValueIterator::close);
      }
    }
    return Listing.merge(pages, limit);
  }

  /** The analytics buckets of the given partitions that match, every one of which this instance must serve. */
  public List<Map.Entry<BucketKey, Bucket>> buckets(Predicate<BucketKey> matches, Collection<Integer> partitions) {
    List<Map.Entry<BucketKey, Bucket>> buckets = new ArrayList<>();
    for (int partition : partitions) {
      ReadOnlyKeyValueStore<String, Bucket> store = store(StoreNames.BUCKETS, partition);
      try (KeyValueIterator<String, Bucket> it = store.all()) {
        it.forEachRemaining(kv -> {
          BucketKey key = BucketKey.decode(kv.key);
          if (kv.value != null && kv.value.hasEpisodes() && matches.test(key)) {
            buckets.add(new SimpleImmutableEntry<>(key, kv.value));
          }
        });
      }
    }
    return buckets;
  }

  private static <V> Iterator<V> values(KeyValueIterator<?, V> it) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public V next() {
        return it.next().value;
      }
    };
  }

  private <K, V> ReadOnlyKeyValueStore<K, V> store(String name, int partition) {
    health.notServing().ifPresent(reason -> {
      throw new InvalidStateStoreException(reason);
    });
    if (health.restoring(name, partition)) {
      throw new InvalidStateStoreException("partition " + partition + " of " + name + " is being restored here");
    }
    CatchUpGate.Views views = StoreNames.BUCKETS.equals(name) ? CatchUpGate.Views.BUCKETS : CatchUpGate.Views.INCIDENTS;
    if (!health.catchUp().serves(views, partition)) {
      throw new InvalidStateStoreException("partition " + partition + " of " + name
          + " started here and is catching up with what its previous owner applied");
    }
    return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<K, V>keyValueStore())
        .withPartition(partition));
  }
}
