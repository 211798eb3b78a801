package dev.quorum.projection.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.quorum.event.Event;
import dev.quorum.event.EventData;
import dev.quorum.event.fold.Episode;
import dev.quorum.event.fold.Episode.Followup;
import dev.quorum.event.fold.Episode.RoleChange;
import dev.quorum.event.fold.Episode.SignalStatus;
import dev.quorum.event.fold.Fold;
import dev.quorum.event.fold.IncidentState;
import dev.quorum.event.fold.OrderKey;
import dev.quorum.event.fold.SharedMap;
import dev.quorum.event.fold.SharedSet;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What grows inside one episode without bound, kept out of its stored value (ADR 8): every signal with
 * its status, every role change, every assignee and every follow-up are items of their own, keyed by
 * incident, episode, kind and name. The stored episode keeps what the fold decides on by itself: the
 * signals that fire (a resolved one decides nothing a missing one would not) and the roles held now.
 * An assignee or a follow-up is read by the fold only through the event that names it, so the projector
 * hands the fold the stored value with that one item put back ({@link #named}); the fold over stored
 * values so takes the same decisions as over whole episodes. The views put the items back.
 */
public final class EpisodeItems {
  /**
   * The most items an episode view on the incidents topic carries whole; an episode with more is published
   * as stored (its firing signals, no role history), with its assignees and follow-ups while those are at
   * most this many ({@link #published}), so a record stays small whatever the episode holds.
   */
  public static final int PUBLISHED = 100;

  private EpisodeItems() {}

  /** The kinds of item, each a key byte; an episode's items sort by kind, then name. */
  public static final byte ASSIGNEE = 'a';
  public static final byte FOLLOWUP = 'f';
  public static final byte ROLE = 'r';
  public static final byte SIGNAL = 's';

  /**
   * One item: a signal and its status, a role change and the order key of the event that made it, an
   * assignee, or a follow-up. Stored without the fields of the other kinds.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Item(
      UUID incidentId, int episode, String fingerprint, SignalStatus status, OrderKey at, RoleChange role,
      String assignee, Followup followup) {
    public Item {
      Objects.requireNonNull(incidentId, "incidentId");
      int kinds = (fingerprint != null ? 1 : 0) + (at != null ? 1 : 0) + (assignee != null ? 1 : 0) + (followup != null ? 1 : 0);
      if (kinds != 1) throw new IllegalArgumentException("an item is a signal, a role change, an assignee or a follow-up");
    }

    static Item signal(UUID incidentId, int episode, String fingerprint, SignalStatus status) {
      return new Item(incidentId, episode, fingerprint, Objects.requireNonNull(status, "status"), null, null, null, null);
    }

    static Item role(UUID incidentId, int episode, OrderKey at, RoleChange role) {
      return new Item(incidentId, episode, null, null, at, Objects.requireNonNull(role, "role"), null, null);
    }

    static Item assignee(UUID incidentId, int episode, String assignee) {
      return new Item(incidentId, episode, null, null, null, null, assignee, null);
    }

    static Item followup(UUID incidentId, int episode, Followup followup) {
      return new Item(incidentId, episode, null, null, null, null, null, followup);
    }

    public boolean isSignal() {
      return fingerprint != null;
    }

    /** {@link #SIGNAL}, {@link #ROLE}, {@link #ASSIGNEE} or {@link #FOLLOWUP}. */
    public byte kind() {
      if (fingerprint != null) return SIGNAL;
      if (at != null) return ROLE;
      return assignee != null ? ASSIGNEE : FOLLOWUP;
    }

    /** What names the item within its kind: the fingerprint, order key, assignee or follow-up id. */
    private byte[] name() {
      return switch (kind()) {
        case SIGNAL -> utf8(fingerprint);
        case ROLE -> at.toBytes();
        case ASSIGNEE -> utf8(assignee);
        default -> utf8(followup.id());
      };
    }

    /** Incident (16 B), episode (4 B), kind (1 B), then the fingerprint, order key, assignee or follow-up id. */
    public byte[] key() {
      return EpisodeItems.key(incidentId, episode, kind(), name());
    }
  }

  /** Where the projector finds one item by its key (a store, or a re-fold's own writes); null when there is none. */
  @FunctionalInterface
  public interface Lookup {
    Item item(byte[] key);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] key(UUID incidentId, int episode, byte kind, byte[] name) {
    return ByteBuffer.allocate(21 + name.length).put(Keys.uuid(incidentId)).putInt(episode).put(kind).put(name).array();
  }

  /** The smallest key of an episode's items: range scans start here. */
  public static byte[] first(UUID incidentId, int episode) {
    return ByteBuffer.allocate(20).put(Keys.uuid(incidentId)).putInt(episode).array();
  }

  /** Past the largest key of an episode's items (exclusive bound): the next episode's first. */
  public static byte[] end(UUID incidentId, int episode) {
    return first(incidentId, episode + 1);
  }

  /** The first key of the episode's signals after {@code fingerprint} (null: from the first signal). */
  public static byte[] signalsAfter(UUID incidentId, int episode, String fingerprint) {
    return after(incidentId, episode, SIGNAL, fingerprint);
  }

  /** Past the episode's last signal key (inclusive bound of a scan). */
  public static byte[] signalsEnd(UUID incidentId, int episode) {
    return kindEnd(incidentId, episode, SIGNAL);
  }

  /** The first key of the episode's items of {@code kind} after {@code name} (null: from the first of the kind). */
  public static byte[] after(UUID incidentId, int episode, byte kind, String name) {
    byte[] bytes = name == null ? new byte[0] : utf8(name);
    // a key one zero byte longer than the name's own sorts right after it, before any other
    return ByteBuffer.allocate(21 + bytes.length + (name == null ? 0 : 1)).put(Keys.uuid(incidentId))
        .putInt(episode).put(kind).put(bytes).array();
  }

  /** Past the episode's last key of {@code kind} (inclusive bound of a scan; the next kind follows). */
  public static byte[] kindEnd(UUID incidentId, int episode, byte kind) {
    return ByteBuffer.allocate(21).put(Keys.uuid(incidentId)).putInt(episode).put((byte) (kind + 1)).array();
  }

  /** The episode as stored: its firing signals only; no role history, assignees or follow-ups. */
  public static Episode trim(Episode e) {
    if (e == null) return null;
    boolean resolved = e.signals().size() != e.firingSignals();
    boolean people = !e.assignees().isEmpty() || !e.followups().isEmpty();
    if (!resolved && e.roleHistory().isEmpty() && !people) return e;
    Map<String, SignalStatus> firing = e.signals();
    if (resolved) {
      TreeMap<String, SignalStatus> only = new TreeMap<>();
      e.signals().forEach((fingerprint, status) -> {
        if (status == SignalStatus.FIRING) only.put(fingerprint, status);
      });
      firing = only;
    }
    Episode trimmed = e.withSignalsAndRoleHistory(firing, List.of());
    return people ? trimmed.withAssigneesAndFollowups(Set.of(), Map.of()) : trimmed;
  }

  /** The state as stored: its latest episode trimmed. */
  public static IncidentState trim(IncidentState s) {
    if (s == null || s.latest().isEmpty()) return s;
    Episode latest = s.latest().get();
    Episode trimmed = trim(latest);
    if (trimmed == latest && s.episodes().size() == 1) return s;
    return s.withEpisodes(List.of(trimmed));
  }

  /**
   * The stored state with the item its event names put back into its latest episode: the assignee of an
   * assignment, or the follow-up of a follow-up event, when the episode has it. That is all of those the
   * fold reads for the event, so it decides as over the whole episode.
   */
  public static IncidentState named(IncidentState stored, Event event, Lookup items) {
    if (stored.latest().isEmpty()) return stored;
    Episode latest = stored.latest().get();
    Episode shown = named(stored.incidentId(), latest, event, items);
    return shown == latest ? stored : stored.withEpisodes(List.of(shown));
  }

  /** Earlier episodes as {@code stored} has them, each with the follow-up its event names put back. */
  public static Fold.Episodes named(UUID incidentId, Fold.Episodes stored, Event event, Lookup items) {
    return number -> named(incidentId, stored.episode(number), event, items);
  }

  /** The episode with the assignee or follow-up {@code event} names put back, when it has that item. */
  static Episode named(UUID incidentId, Episode episode, Event event, Lookup items) {
    if (episode == null) return null;
    String assignee = switch (event.data()) {
      case EventData.ResponderAssigned a -> a.responder();
      case EventData.ResponderUnassigned u -> u.responder();
      default -> null;
    };
    String followupId = switch (event.data()) {
      case EventData.FollowupCreated f -> f.followupId();
      case EventData.FollowupCompleted f -> f.followupId();
      default -> null;
    };
    if (assignee != null && items.item(key(incidentId, episode.number(), ASSIGNEE, utf8(assignee))) != null) {
      return episode.withAssigneesAndFollowups(SharedSet.of(episode.assignees()).plus(assignee), episode.followups());
    }
    Item followup = followupId == null ? null : items.item(key(incidentId, episode.number(), FOLLOWUP, utf8(followupId)));
    if (followup != null) {
      return episode.withAssigneesAndFollowups(episode.assignees(),
          SharedMap.of(episode.followups()).plus(followupId, followup.followup()));
    }
    return episode;
  }

  /**
   * The items one event wrote: {@code before} is the stored (trimmed) episode it met with its named item
   * put back, or null when it opened {@code after}; {@code after} is what the fold made of it. Costs what
   * fires, not what was.
   */
  public static List<Item> written(UUID incidentId, Episode before, Episode after, Event event) {
    List<Item> items = new ArrayList<>();
    if (after == null) return items;
    boolean same = before != null && before.number() == after.number();
    Map<String, SignalStatus> was = same ? before.signals() : Map.of();
    after.signals().forEach((fingerprint, status) -> {
      if (status != was.get(fingerprint)) items.add(Item.signal(incidentId, after.number(), fingerprint, status));
    });
    int had = same ? before.roleHistory().size() : 0;
    for (int i = had; i < after.roleHistory().size(); i++) {
      items.add(Item.role(incidentId, after.number(), event.orderKey(), after.roleHistory().get(i)));
    }
    // every assignee and follow-up after holds: the stored value holds none, so the one the event named at most
    after.assignees().forEach(assignee -> items.add(Item.assignee(incidentId, after.number(), assignee)));
    after.followups().values().forEach(followup -> items.add(Item.followup(incidentId, after.number(), followup)));
    return items;
  }

  /** The items one event removed (an unassignment): as {@link #written}, those to delete. */
  public static List<Item> removed(UUID incidentId, Episode before, Episode after) {
    List<Item> items = new ArrayList<>();
    if (before == null || after == null || before.number() != after.number()) return items;
    for (String assignee : before.assignees()) {
      if (!after.assignees().contains(assignee)) items.add(Item.assignee(incidentId, after.number(), assignee));
    }
    return items;
  }

  /** The stored episode with its items put back: the episode the fold made. */
  public static Episode assemble(Episode stored, List<Item> items) {
    if (stored == null || items.isEmpty()) return stored;
    SharedMap<SignalStatus> signals = SharedMap.of(stored.signals());
    List<RoleChange> roles = new ArrayList<>();
    SharedSet assignees = SharedSet.of(stored.assignees());
    SharedMap<Followup> followups = SharedMap.of(stored.followups());
    for (Item item : items) {
      switch (item.kind()) {
        case SIGNAL -> signals = signals.plus(item.fingerprint(), item.status());
        case ROLE -> roles.add(item.role());
        case ASSIGNEE -> assignees = assignees.plus(item.assignee());
        default -> followups = followups.plus(item.followup().id(), item.followup());
      }
    }
    return stored.withSignalsAndRoleHistory(signals, roles).withAssigneesAndFollowups(assignees, followups);
  }

  /**
   * The episode as the incidents topic carries it when it has more than {@link #PUBLISHED} items: as
   * stored, with its assignees and follow-ups when {@code people} (the first {@link #PUBLISHED} + 1 of
   * them) holds them all, so a record stays small whatever the episode holds.
   */
  public static Episode published(Episode stored, List<Item> people) {
    return people.size() <= PUBLISHED ? assemble(stored, people) : stored;
  }

}
