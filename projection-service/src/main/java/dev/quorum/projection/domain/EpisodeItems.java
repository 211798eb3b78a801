package dev.quorum.projection.domain;

import dev.quorum.event.Event;
import dev.quorum.event.fold.Episode;
import dev.quorum.event.fold.Episode.RoleChange;
import dev.quorum.event.fold.Episode.SignalStatus;
import dev.quorum.event.fold.IncidentState;
import dev.quorum.event.fold.OrderKey;
import dev.quorum.event.fold.SharedMap;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What grows inside one episode without bound, kept out of its stored value (ADR 8): every signal with
 * its status and every role change are items of their own, keyed by incident, episode and name. The
 * stored episode keeps what the fold decides on: the signals that fire (a resolved one decides nothing
 * a missing one would not), the roles held now, the assignees and the follow-ups. The fold over stored
 * values so takes the same decisions as over whole episodes; the views put the items back.
 */
public final class EpisodeItems {
  /**
   * The most items an episode view on the incidents topic carries whole; an episode with more is published
   * as stored (its firing signals, no role history), so a record stays small whatever the episode holds.
   */
  public static final int PUBLISHED = 100;

  private EpisodeItems() {}

  /** A signal and its status, or a role change and the order key of the event that made it. */
  public record Item(UUID incidentId, int episode, String fingerprint, SignalStatus status, OrderKey at, RoleChange role) {
    public Item {
      Objects.requireNonNull(incidentId, "incidentId");
      if ((fingerprint == null) == (at == null)) throw new IllegalArgumentException("an item is a signal or a role change");
    }

    static Item signal(UUID incidentId, int episode, String fingerprint, SignalStatus status) {
      return new Item(incidentId, episode, fingerprint, Objects.requireNonNull(status, "status"), null, null);
    }

    static Item role(UUID incidentId, int episode, OrderKey at, RoleChange role) {
      return new Item(incidentId, episode, null, null, at, Objects.requireNonNull(role, "role"));
    }

    public boolean isSignal() {
      return fingerprint != null;
    }

    /** Incident (16 B), episode (4 B), kind (1 B: signals first), then the fingerprint or the order key. */
    public byte[] key() {
      byte[] name = isSignal() ? fingerprint.getBytes(StandardCharsets.UTF_8) : at.toBytes();
      return ByteBuffer.allocate(21 + name.length).put(Keys.uuid(incidentId)).putInt(episode)
          .put((byte) (isSignal() ? 's' : 'r')).put(name).array();
    }
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
    byte[] name = fingerprint == null ? new byte[0] : fingerprint.getBytes(StandardCharsets.UTF_8);
    // a key one zero byte longer than the fingerprint's own sorts right after it, before any other
    return ByteBuffer.allocate(21 + name.length + (fingerprint == null ? 0 : 1)).put(Keys.uuid(incidentId))
        .putInt(episode).put((byte) 's').put(name).array();
  }

  /** Past the episode's last signal key (inclusive bound of a scan; the role changes follow). */
  public static byte[] signalsEnd(UUID incidentId, int episode) {
    return ByteBuffer.allocate(21).put(Keys.uuid(incidentId)).putInt(episode).put((byte) ('s' + 1)).array();
  }

  /** The episode as stored: its firing signals only, no role history. */
  public static Episode trim(Episode e) {
    if (e == null) return null;
    boolean resolved = e.signals().size() != e.firingSignals();
    if (!resolved && e.roleHistory().isEmpty()) return e;
    Map<String, SignalStatus> firing = e.signals();
    if (resolved) {
      TreeMap<String, SignalStatus> only = new TreeMap<>();
      e.signals().forEach((fingerprint, status) -> {
        if (status == SignalStatus.FIRING) only.put(fingerprint, status);
      });
      firing = only;
    }
    return e.withSignalsAndRoleHistory(firing, List.of());
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
   * The items one event wrote: {@code before} is the stored (trimmed) episode it met, or null when it
   * opened {@code after}; {@code after} is what the fold made of it. Costs what fires, not what was.
   */
  public static List<Item> written(UUID incidentId, Episode before, Episode after, Event event) {
    List<Item> items = new ArrayList<>();
    if (after == null) return items;
    Map<String, SignalStatus> was = before == null || before.number() != after.number() ? Map.of() : before.signals();
    after.signals().forEach((fingerprint, status) -> {
      if (status != was.get(fingerprint)) items.add(Item.signal(incidentId, after.number(), fingerprint, status));
    });
    int had = before == null || before.number() != after.number() ? 0 : before.roleHistory().size();
    for (int i = had; i < after.roleHistory().size(); i++) {
      items.add(Item.role(incidentId, after.number(), event.orderKey(), after.roleHistory().get(i)));
    }
    return items;
  }

  /** The stored episode with its items put back: the episode the fold made. */
  public static Episode assemble(Episode stored, List<Item> items) {
    if (stored == null || items.isEmpty()) return stored;
    SharedMap<SignalStatus> signals = SharedMap.of(stored.signals());
    List<RoleChange> roles = new ArrayList<>();
    for (Item item : items) {
      if (item.isSignal()) signals = signals.plus(item.fingerprint(), item.status());
      else roles.add(item.role());
    }
    return stored.withSignalsAndRoleHistory(signals, roles);
  }
}
