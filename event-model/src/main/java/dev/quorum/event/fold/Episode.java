package dev.quorum.event.fold;

import dev.quorum.event.Role;
import dev.quorum.event.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * One episode of an incident stream: its own lifecycle and its own MTTA/MTTR (DESIGN §4). Views show
 * each episode as an incident. All times are broker append times ({@code ingestedAt}).
 */
public record Episode(
    int number,
    Status status,
    Instant triggeredAt,
    Instant acknowledgedAt,
    Instant resolvedAt,
    ResolvedBy resolvedBy,
    Instant closedAt,
    Instant lastChangedAt,
    String title,
    String service,
    Severity severity,
    UUID mergedInto,
    Set<String> assignees,
    Map<Role, String> roles,
    List<RoleChange> roleHistory,
    Map<String, SignalStatus> signals,
    Map<String, Followup> followups,
    int escalations,
    int escalationLevel,
    int reopens) {

  /** Who resolved the episode. */
  public enum ResolvedBy { RESPONDER, SOURCE }

  /** Whether an attached signal (alert fingerprint) still fires. */
  public enum SignalStatus { FIRING, RESOLVED }

  /** One role assignment, kept as history. */
  public record RoleChange(Role role, String responder, String assignedBy, Instant at) {}

  /** A follow-up action item. */
  public record Followup(String id, String title, String owner, boolean completed) {}

  /** Counts an episode's firing signals as its signals change. */
  static final java.util.function.Predicate<SignalStatus> FIRING = s -> s == SignalStatus.FIRING;

  /**
   * What grows with the episode's events is held in structures that share all but one path with the
   * episode before ({@link SharedMap}, {@link SharedSet}, {@link SharedList}): an apply changes a
   * logarithmic part of them and copies none.
   */
  public Episode {
    assignees = SharedSet.of(assignees);
    roles = Collections.unmodifiableMap(roles);
    roleHistory = SharedList.of(roleHistory);
    signals = SharedMap.of(signals, FIRING);
    followups = SharedMap.of(followups);
  }

  /** The same episode with other signals and role history (what a store keeps apart, put back or left out). */
  public Episode withSignalsAndRoleHistory(Map<String, SignalStatus> newSignals, List<RoleChange> newRoleHistory) {
    return new Episode(number, status, triggeredAt, acknowledgedAt, resolvedAt, resolvedBy, closedAt, lastChangedAt,
        title, service, severity, mergedInto, assignees, roles, newRoleHistory, newSignals, followups, escalations,
        escalationLevel, reopens);
  }

  /** The same episode with other assignees and follow-ups (what a store keeps apart, put back or left out). */
  public Episode withAssigneesAndFollowups(Set<String> newAssignees, Map<String, Followup> newFollowups) {
    return new Episode(number, status, triggeredAt, acknowledgedAt, resolvedAt, resolvedBy, closedAt, lastChangedAt,
        title, service, severity, mergedInto, newAssignees, roles, roleHistory, signals, newFollowups, escalations,
        escalationLevel, reopens);
  }

  /** Merged episodes are excluded from MTTA/MTTR. */
  public boolean countsForAnalytics() {
    return status != Status.MERGED;
  }

  /** MTTA sample: first acknowledgement minus trigger; empty if never acknowledged or merged. */
  public Optional<Duration> timeToAcknowledge() {
    if (!countsForAnalytics() || acknowledgedAt == null) return Optional.empty();
    return Optional.of(Duration.between(triggeredAt, acknowledgedAt));
  }

  /** MTTR sample: final resolve minus trigger; empty while open, reopened or merged. */
  public Optional<Duration> timeToResolve() {
    if (!countsForAnalytics() || resolvedAt == null) return Optional.empty();
    return Optional.of(Duration.between(triggeredAt, resolvedAt));
  }

  public long firingSignals() {
    return ((SharedMap<SignalStatus>) signals).counted();
  }
}
