package dev.quorum.projection.domain;

import dev.quorum.event.Severity;
import dev.quorum.event.fold.Episode;
import dev.quorum.event.fold.Status;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.UUID;

/**
 * The incident list: every episode is listed as an incident, newest trigger first, filtered by status,
 * service and severity, and paged with an opaque cursor so that pages from several instances merge into
 * one consistent order.
 */
public final class Listing {
  private Listing() {}

  /** One listed incident: an episode of a stream. */
  public record Item(UUID incidentId, Episode episode) {
    public Item {
      Objects.requireNonNull(incidentId, "incidentId");
      Objects.requireNonNull(episode, "episode");
    }

    Position position() {
      return new Position(episode.triggeredAt(), incidentId, episode.number());
    }
  }

  /** Which episodes to list; a null or empty criterion matches all. */
  public record Filter(Set<Status> statuses, String service, Severity severity) {
    public static final Filter ALL = new Filter(Set.of(), null, null);

    public Filter {
      statuses = statuses == null ? Set.of() : Set.copyOf(statuses);
    }

    public boolean matches(Episode episode) {
      return (statuses.isEmpty() || statuses.contains(episode.status()))
          && (service == null || service.equals(episode.service()))
          && (severity == null || severity == episode.severity());
    }
  }

  /** A place in the list order; its text form is the page cursor. */
  public record Position(Instant triggeredAt, UUID incidentId, int number) {
    static final Comparator<Position> ORDER = Comparator
        .comparing(Position::triggeredAt, Comparator.reverseOrder())
        .thenComparing(Position::incidentId)
        .thenComparingInt(Position::number);

    public String toCursor() {
      String text = triggeredAt + " " + incidentId + " " + number;
      return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Parses a cursor; {@link IllegalArgumentException} if it is not one this service issued. */
    public static Position fromCursor(String cursor) {
      try {
        String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(" ");
        if (parts.length != 3) throw new IllegalArgumentException("three parts expected");
        return new Position(Instant.parse(parts[0]), UUID.fromString(parts[1]), Integer.parseInt(parts[2]));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("not a cursor of this list: " + cursor, e);
      }
    }
  }

  /** One page and the cursor of the next, or null on the last page. */
  public record Page(List<Item> items, String next) {
    public Page {
      items = List.copyOf(items);
    }
  }

  static final Comparator<Item> ORDER = Comparator.comparing(Item::position, Position.ORDER);

  /**
   * The first {@code limit} matching items after {@code after} (null: from the start), in list order,
   * keeping at most {@code limit} items in memory whatever the number scanned.
   */
  public static Page page(Iterable<Item> items, Filter filter, Position after, int limit) {
    if (limit < 1) throw new IllegalArgumentException("limit must be >= 1");
    PriorityQueue<Item> best = new PriorityQueue<>(ORDER.reversed());
    boolean more = false;
    for (Item item : items) {
      if (!filter.matches(item.episode())) continue;
      if (after != null && Position.ORDER.compare(item.position(), after) <= 0) continue;
      best.add(item);
      if (best.size() > limit) {
        best.poll();
        more = true;
      }
    }
    List<Item> page = new ArrayList<>(best);
    page.sort(ORDER);
    return new Page(page, more ? page.getLast().position().toCursor() : null);
  }

  /** Reads the listing index of one partition: keys of one status in key order, from a key on, and episodes by key. */
  public interface Index {
    /** The keys of {@code status} from {@code from} (inclusive; null: the first) on, in key order. */
    Iterable<ListingKey> keys(Status status, ListingKey from);

    /** The episode a key names, or null if it is gone. */
    Episode episode(ListingKey key);
  }

  /**
   * The same page as {@link #page} over the index: for each status asked (every status if none), the keys
   * after {@code after} in list order, reading episodes until {@code limit + 1} match. A page of open
   * incidents costs about a page, not the history (more only when service or severity skip many).
   */
  public static Page page(Index index, Filter filter, Position after, int limit) {
    if (limit < 1) throw new IllegalArgumentException("limit must be >= 1");
    List<Item> candidates = new ArrayList<>();
    Set<Status> statuses = filter.statuses().isEmpty() ? Set.of(Status.values()) : filter.statuses();
    for (Status status : statuses) {
      int found = 0;
      for (ListingKey key : index.keys(status, after == null ? null : ListingKey.at(status, after))) {
        if (after != null && Position.ORDER.compare(key.position(), after) <= 0) continue;
        Episode episode = index.episode(key);
        // a key left behind by a change the index has not caught up with yet is not this episode's
        if (episode == null || episode.status() != status || !episode.triggeredAt().equals(key.triggeredAt())) continue;
        if (!filter.matches(episode)) continue;
        candidates.add(new Item(key.incidentId(), episode));
        if (++found > limit) break;
      }
    }
    return page(candidates, filter, after, limit);
  }

  /** Merges pages that instances answered for disjoint sets of incidents, with the same filter and cursor. */
  public static Page merge(Collection<Page> pages, int limit) {
    List<Item> all = new ArrayList<>();
    boolean more = false;
    for (Page p : pages) {
      all.addAll(p.items());
      more |= p.next() != null;
    }
    all.sort(ORDER);
    if (all.size() > limit) {
      all = all.subList(0, limit);
      more = true;
    }
    return new Page(all, more && !all.isEmpty() ? all.getLast().position().toCursor() : null);
  }
}
