package dev.quorum.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of a chaos run: the summary line of issue 11 and what else was checked or measured.
 *
 * @param produced distinct valid event ids sent at least once
 * @param acknowledged distinct event ids the gateway (202) or Kafka (a direct send) acknowledged
 * @param stored distinct event ids in the database
 * @param lost acknowledged ids not stored
 * @param unstored produced ids not stored (acknowledged or not)
 * @param unknownStored stored ids nobody produced
 * @param duplicated ids with more than one version (content, ingestedat, sourcepartition, sourceoffset, recordedat)
 *     across the database and both groups' committed topics
 * @param deadLettered distinct poison records on group A's DLQ (a record dead-lettered twice by a replay counts once)
 * @param expectedDead distinct poison records acknowledged by Kafka
 * @param unexpectedDead dead letters in either DLQ that are not a poison record with its reason
 * @param deadLettersDiffer whether group A's and group B's DLQs, and the poison records sent, are not one set
 * @param committedDiffersA ids in the database but not on group A's committed topic, or the other way round
 * @param committedDiffersB the same for group B
 * @param projectionMismatch incidents whose projected state differs from the fold of their stored events
 */
record Summary(
    ChaosSettings settings, long produced, long acknowledged, long stored, long lost, long unstored, long unknownStored,
    long duplicated, long deadLettered, long expectedDead, long unexpectedDead, boolean deadLettersDiffer,
    long committedDiffersA, long committedDiffersB, long projectionMismatch, long newEvents, long redeliveries, long poison,
    long publications, long gatewayRetries, long directRetries, List<String> rejections, long dataDecisions, long dataConflicts,
    long ddlDecisions, long ddlConflicts, List<String> faults, List<String> restarts, int unexpectedExits, Duration duration) {

  /** The line issue 11 asks for. */
  String line() {
    return "chaos: seed=%d produced=%d acknowledged=%d stored=%d lost=%d duplicated=%d dead_lettered=%d expected_dead=%d projection_mismatch=%d"
        .formatted(settings.seed(), produced, acknowledged, stored, lost, duplicated, deadLettered, expectedDead, projectionMismatch);
  }

  /** The load and faults behind it. */
  String details() {
    return ("chaos: size=%s duration=%ds incidents=%d new_events=%d redeliveries=%d (%.1f%%) poison=%d (%.1f%%) publications=%d "
        + "gateway_resends=%d direct_resends=%d conflicts=%d/%d commits (%.1f%%) ddl_conflicts=%d/%d faults=%s restarts=%s "
        + "unexpected_exits=%d")
        .formatted(settings.size(), duration.toSeconds(), settings.incidents(), newEvents, redeliveries,
            100.0 * redeliveries / newEvents, poison, 100.0 * poison / newEvents, publications, gatewayRetries, directRetries,
            dataConflicts, dataDecisions, conflictShare() * 100, ddlConflicts, ddlDecisions, faults, restarts, unexpectedExits);
  }

  double conflictShare() {
    return dataDecisions == 0 ? 0 : dataConflicts / (double) dataDecisions;
  }

  /** Why the run fails; empty when it holds. */
  List<String> violations() {
    List<String> v = new ArrayList<>();
    if (lost != 0) v.add(lost + " acknowledged events are not stored");
    if (unstored != 0) v.add(unstored + " produced events are not stored");
    if (stored != produced || unknownStored != 0) v.add("stored " + stored + " (" + unknownStored + " unknown) != produced " + produced);
    if (acknowledged != produced) v.add("acknowledged " + acknowledged + " != produced " + produced);
    if (duplicated != 0) v.add(duplicated + " events have more than one version");
    if (deadLettered != expectedDead) v.add("dead_lettered " + deadLettered + " != expected_dead " + expectedDead);
    if (unexpectedDead != 0) v.add(unexpectedDead + " dead letters are not poison records");
    if (deadLettersDiffer) v.add("group A's and group B's dead letters are not the poison records sent");
    if (committedDiffersA != 0) v.add(committedDiffersA + " ids differ between the database and group A's committed topic");
    if (committedDiffersB != 0) v.add(committedDiffersB + " ids differ between the database and group B's committed topic");
    if (projectionMismatch != 0) v.add(projectionMismatch + " incidents differ between the projection and the fold");
    if (!rejections.isEmpty()) v.add("the gateway refused valid events: " + rejections.stream().limit(3).toList());
    if (conflictShare() < 0.10) v.add("conflicts on only " + dataConflicts + " of " + dataDecisions + " commits");
    if (ddlConflicts == 0) v.add("no OC001 was injected");
    return v;
  }
}
