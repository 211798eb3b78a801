package dev.quorum.store.jdbc;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Incidents whose insert-once anchor row is known to stand (this store saw it committed), the most
 * recently used first: their anchor insert can be skipped. An anchor is never deleted, so a known one
 * stays true; an incident that fell out of the set is merely inserted again with ON CONFLICT DO NOTHING.
 */
final class KnownAnchors {
  private final Map<UUID, Boolean> known;

  KnownAnchors(int capacity) {
    this.known = new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
        return size() > capacity;
      }
    };
  }

  synchronized boolean contains(UUID incident) {
    return known.get(incident) != null;
  }

  /** Call only after the transaction that inserted (or found) these anchors committed. */
  synchronized void addAll(Collection<UUID> incidents) {
    for (UUID incident : incidents) known.put(incident, Boolean.TRUE);
  }
}
