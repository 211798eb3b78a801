package dev.quorum.event;

import dev.quorum.event.EventData.*;
import java.util.Map;

/** The type name of each catalogue record, read from its {@code TYPE} constant. */
final class TypeNames {
  private static final Map<Class<?>, String> NAMES = Map.ofEntries(
      Map.entry(IncidentTriggered.class, IncidentTriggered.TYPE),
      Map.entry(AlertFired.class, AlertFired.TYPE),
      Map.entry(AlertResolved.class, AlertResolved.TYPE),
      Map.entry(IncidentAcknowledged.class, IncidentAcknowledged.TYPE),
      Map.entry(IncidentUnacknowledged.class, IncidentUnacknowledged.TYPE),
      Map.entry(IncidentMitigated.class, IncidentMitigated.TYPE),
      Map.entry(IncidentResolved.class, IncidentResolved.TYPE),
      Map.entry(IncidentReopened.class, IncidentReopened.TYPE),
      Map.entry(IncidentClosed.class, IncidentClosed.TYPE),
      Map.entry(IncidentMerged.class, IncidentMerged.TYPE),
      Map.entry(IncidentEscalated.class, IncidentEscalated.TYPE),
      Map.entry(ResponderAssigned.class, ResponderAssigned.TYPE),
      Map.entry(ResponderUnassigned.class, ResponderUnassigned.TYPE),
      Map.entry(RoleAssigned.class, RoleAssigned.TYPE),
      Map.entry(SeverityChanged.class, SeverityChanged.TYPE),
      Map.entry(NoteAdded.class, NoteAdded.TYPE),
      Map.entry(FollowupCreated.class, FollowupCreated.TYPE),
      Map.entry(FollowupCompleted.class, FollowupCompleted.TYPE));

  /** Every type name of the v1 catalogue. */
  static final java.util.Set<String> ALL = java.util.Set.copyOf(NAMES.values());

  private TypeNames() {}

  static String of(Class<?> type) {
    String name = NAMES.get(type);
    if (name == null) throw new IllegalStateException("no type name for " + type.getName());
    return name;
  }
}
