package dev.quorum.projection.kafka;

import static dev.quorum.event.testing.Catalogue.ack;
import static dev.quorum.event.testing.Catalogue.escalated;
import static dev.quorum.event.testing.Catalogue.fired;
import static dev.quorum.event.testing.Catalogue.mergedInto;
import static dev.quorum.event.testing.Catalogue.reopened;
import static dev.quorum.event.testing.Catalogue.resolved;
import static dev.quorum.event.testing.Catalogue.signalResolved;
import static dev.quorum.event.testing.Catalogue.triggered;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.event.Event;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.event.fold.Fold;
import dev.quorum.event.fold.IncidentState;
import dev.quorum.event.testing.History;
import dev.quorum.projection.domain.Bucket;
import dev.quorum.projection.domain.BucketKey;
import dev.quorum.projection.domain.Views;
import dev.quorum.projection.testing.ProjectionDriver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProjectionTopologyTest {
  private static final LocalDate DAY = LocalDate.of(2026, 6, 15);
  private static final BucketKey CHECKOUT_CRITICAL = new BucketKey(DAY, "checkout", "critical");

  @TempDir Path stateDir;
  private ProjectionDriver driver;

  @BeforeEach
  void start() {
    driver = new ProjectionDriver(stateDir);
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void the_state_timeline_and_episodes_are_those_of_the_fold() {
    // Given
    History history = History.random();
    history.add(triggered());
    history.add(ack());
    history.add(resolved());
    history.add(triggered());
    history.add(escalated(2));

    // When
    driver.publishAll(history.events());

    // Then
    Fold.Replay expected = Fold.replay(history.events());
    assertThat(driver.state(history.incidentId())).isEqualTo(expected.state().withoutHistory());
    assertThat(driver.timeline(history.incidentId())).isEqualTo(expected.timeline());
    assertThat(driver.episodes(history.incidentId())).isEqualTo(expected.state().episodes());
    assertThat(driver.counter("applied")).isEqualTo(5);
  }

  @Test
  void redelivered_and_shuffled_events_give_identical_views() {
    // Given
    History history = History.random();
    history.add(fired("fp-a"));
    history.add(ack());
    history.add(signalResolved("fp-a"));
    history.add(fired("fp-a"));
    history.add(fired("fp-b"));
    history.add(resolved());
    List<Event> arrivals = new ArrayList<>(history.events());
    arrivals.addAll(history.events().subList(1, 4));
    Collections.shuffle(arrivals, new Random(7));

    // When
    driver.publishAll(arrivals);

    // Then
    Fold.Replay expected = Fold.replay(history.events());
    assertThat(driver.state(history.incidentId())).isEqualTo(expected.state().withoutHistory());
    assertThat(driver.timeline(history.incidentId())).isEqualTo(expected.timeline());
    assertThat(driver.episodes(history.incidentId())).isEqualTo(expected.state().episodes());
    assertThat(driver.counter("duplicate")).isEqualTo(3);
  }

  @Test
  void the_rebuild_topic_feeds_the_same_views_and_overlaps_are_duplicates() {
    // Given
    History history = History.random();
    Event trigger = history.add(triggered());
    Event acknowledge = history.add(ack());
    driver.publish(trigger);

    // When
    driver.rebuild(trigger);
    driver.rebuild(acknowledge);

    // Then
    assertThat(driver.state(history.incidentId())).isEqualTo(Fold.fold(history.events()));
    assertThat(driver.counter("duplicate")).isEqualTo(1);
  }

  @Test
  void the_incidents_topic_holds_every_episode_keyed_by_incident_and_episode() {
    // Given
    History first = History.random();
    first.add(triggered());
    first.add(resolved());
    first.add(triggered());
    first.add(ack());
    History second = History.random();
    second.add(fired("fp-a"));

    // When
    driver.publishAll(first.events());
    driver.publishAll(second.events());

    // Then
    IncidentState folded = Fold.fold(first.events());
    assertThat(driver.incidentsTopic()).containsOnlyKeys(
        first.incidentId() + "/1", first.incidentId() + "/2", second.incidentId() + "/1");
    assertThat(driver.incidentsTopic().get(first.incidentId() + "/1"))
        .isEqualTo(Views.incident(first.incidentId(), folded.episode(1).orElseThrow()));
    assertThat(driver.incidentsTopic().get(first.incidentId() + "/2").status()).isEqualTo("acknowledged");
  }

  @Test
  void a_busy_episode_is_published_once_per_commit_interval_as_it_then_stands() {
    // Given: an open episode, published
    History history = History.random();
    driver.publish(history.add(triggered()));
    assertThat(driver.incidentsRecords()).hasSize(1);

    // When: ten events change it before the next publication
    java.time.Instant last = null;
    for (int level = 2; level <= 11; level++) {
      last = java.time.Instant.parse("2026-06-15T03:00:00Z").plusSeconds(level);
      driver.publishAt(history.add(escalated(level)), last);
    }

    // Then: one record, the episode as the fold leaves it, at the time of its latest change
    var records = driver.incidentsTimedRecords();
    assertThat(records).extracting(org.apache.kafka.streams.test.TestRecord::key)
        .containsExactly(history.incidentId() + "/1");
    assertThat(records.getFirst().value()).isEqualTo(
        Views.incident(history.incidentId(), Fold.fold(history.events()).episode(1).orElseThrow()));
    assertThat(records.getFirst().getRecordTime()).isEqualTo(last);
    assertThat(driver.incidentsRecords()).isEmpty();
  }

  @Test
  void a_correction_to_an_earlier_episode_is_published_under_its_own_key() {
    // Given: episode 1 resolved, episode 2 open; the acknowledgement of episode 1 arrives late
    History history = History.random();
    Event trigger = history.add(triggered());
    Event acknowledge = history.add(ack());
    Event resolve = history.add(resolved());
    Event retrigger = history.add(triggered());
    driver.publishAll(List.of(trigger, resolve, retrigger));
    driver.incidentsRecords();

    // When
    driver.publish(acknowledge);

    // Then
    String firstEpisode = history.incidentId() + "/1";
    assertThat(driver.incidentsRecords()).extracting(kv -> kv.key).containsExactly(firstEpisode);
    assertThat(driver.incidentsTopic().get(firstEpisode)).isEqualTo(
        Views.incident(history.incidentId(), Fold.fold(history.events()).episode(1).orElseThrow()));
    assertThat(driver.incidentsTopic().get(firstEpisode).acknowledgedAt()).isEqualTo(acknowledge.stored().ingestedAt());
  }

  @Test
  void an_episode_a_late_event_undoes_gets_a_tombstone() {
    // Given: fp-a resolves and fires again, two episodes; fp-b fired in between but arrives last
    History history = History.random();
    Event fire = history.add(fired("fp-a"));
    Event other = history.add(fired("fp-b"));
    Event resolve = history.add(signalResolved("fp-a"));
    Event refire = history.add(fired("fp-a"));
    driver.publishAll(List.of(fire, resolve, refire));
    assertThat(driver.incidentsTopic()).containsKey(history.incidentId() + "/2");

    // When: fp-b still fires at the resolve, so the episode never ended and the refire joins it
    driver.publish(other);

    // Then
    List<KeyValue<String, Views.IncidentView>> records = driver.incidentsRecords();
    assertThat(records).anySatisfy(kv -> {
      assertThat(kv.key).isEqualTo(history.incidentId() + "/2");
      assertThat(kv.value).isNull();
    });
    assertThat(driver.incidentsTopic()).containsOnlyKeys(history.incidentId() + "/1");
    assertThat(Fold.fold(history.events()).episodeCount()).isEqualTo(1);
  }

  @Test
  void analytics_take_mtta_and_mttr_per_episode_per_service_severity_and_day() {
    // Given: acknowledged 2 minutes after the trigger, resolved 2 minutes after that
    History history = History.random();
    history.add(triggered());
    history.add(ack());
    history.add(escalated(2));

    // When
    driver.publishAll(history.events());
    History second = History.random();
    second.add(triggered());
    second.add(resolved());
    driver.publishAll(second.events());

    // Then
    Bucket bucket = driver.buckets().get(CHECKOUT_CRITICAL);
    assertThat(bucket.episodes()).isEqualTo(2);
    assertThat(bucket.acknowledged()).isEqualTo(1);
    assertThat(bucket.meanSecondsToAcknowledge()).isEqualTo(60.0);
    assertThat(bucket.resolved()).isEqualTo(1);
    assertThat(bucket.meanSecondsToResolve()).isEqualTo(60.0);
    assertThat(bucket.escalations()).isEqualTo(1);
  }

  @Test
  void a_late_acknowledgement_corrects_the_past_bucket() {
    // Given: the ack sorts before the resolve but arrives after it
    History history = History.random();
    Event trigger = history.add(triggered());
    Event acknowledge = history.add(ack());
    Event resolve = history.add(resolved());
    driver.publish(trigger);
    driver.publish(resolve);
    assertThat(driver.buckets().get(CHECKOUT_CRITICAL).acknowledged()).isZero();

    // When
    driver.publish(acknowledge);

    // Then
    Bucket bucket = driver.buckets().get(CHECKOUT_CRITICAL);
    assertThat(bucket.episodes()).isEqualTo(1);
    assertThat(bucket.acknowledged()).isEqualTo(1);
    assertThat(bucket.meanSecondsToAcknowledge()).isEqualTo(60.0);
    assertThat(bucket.meanSecondsToResolve()).isEqualTo(120.0);
  }

  @Test
  void a_reopen_withdraws_the_resolve_until_the_final_one_and_counts() {
    // Given
    History history = History.random();
    history.add(triggered());
    history.add(resolved());
    history.add(reopened());
    driver.publishAll(history.events());
    Bucket reopenedBucket = driver.buckets().get(CHECKOUT_CRITICAL);

    // When
    history.add(resolved());
    driver.publish(history.events().getLast());

    // Then
    assertThat(reopenedBucket.resolved()).isZero();
    assertThat(reopenedBucket.reopens()).isEqualTo(1);
    Bucket bucket = driver.buckets().get(CHECKOUT_CRITICAL);
    assertThat(bucket.resolved()).isEqualTo(1);
    assertThat(bucket.meanSecondsToResolve()).isEqualTo(180.0);
  }

  @Test
  void a_merged_episode_leaves_the_analytics() {
    // Given
    History history = History.random();
    history.add(triggered());
    history.add(ack());
    driver.publishAll(history.events());
    assertThat(driver.buckets()).containsKey(CHECKOUT_CRITICAL);

    // When
    driver.publish(history.add(mergedInto(UUID.randomUUID())));

    // Then
    assertThat(driver.buckets()).doesNotContainKey(CHECKOUT_CRITICAL);
    assertThat(driver.episodes(history.incidentId()).getFirst().status().name()).isEqualTo("MERGED");
  }

  @Test
  void a_firing_of_a_merged_stream_after_its_moved_alert_resolved_opens_a_new_episode() {
    // Given: an alert group merged into another incident while its alert fired, then resolved by the source
    History history = History.random();
    history.add(fired("fp-1"));
    history.add(mergedInto(UUID.randomUUID()));
    history.add(signalResolved("fp-1"));
    Event firing = history.add(fired("fp-1"));
    List<Event> shuffled = new ArrayList<>(history.events());
    Collections.reverse(shuffled); // every event but the first arrives late

    // When
    driver.publishAll(shuffled);

    // Then: next week's firing is a new episode of the source, listed and counted
    assertThat(driver.episodes(history.incidentId())).isEqualTo(Fold.fold(history.events()).episodes());
    assertThat(driver.episodes(history.incidentId())).extracting(e -> e.status().name())
        .containsExactly("MERGED", "TRIGGERED");
    assertThat(driver.incidentsTopic()).containsKey(history.incidentId() + "/2");
    assertThat(driver.incidentsTopic().get(history.incidentId() + "/2").triggeredAt())
        .isEqualTo(firing.stored().ingestedAt());
    assertThat(driver.buckets()).containsOnlyKeys(new BucketKey(DAY, "checkout", "warning"));
  }

  @Test
  void an_event_too_large_for_the_stores_is_counted_and_left_behind_and_the_task_goes_on() throws Exception {
    // Given: state values limited to what an alert group of ten alerts takes, so an eleventh passes it
    History history = History.random();
    List<Event> applied = new ArrayList<>();
    String fingerprint = "f".repeat(200);
    for (int i = 0; i < 10; i++) applied.add(history.add(fired(fingerprint + i)));
    int limit = ViewSerdes.state().serializer().serialize(null, Fold.fold(applied).withoutHistory()).length + 100;
    driver.close();
    driver = new ProjectionDriver(java.nio.file.Files.createTempDirectory(stateDir, "small"),
        org.apache.kafka.streams.state.Stores::inMemoryKeyValueStore, limit);
    driver.publishAll(applied);
    Event tooMuch = history.add(fired(fingerprint + "-too-much"));

    // When
    driver.publish(tooMuch);
    Event ack = history.add(ack());
    driver.publish(ack);

    // Then: refused and counted; the views hold everything else
    applied.add(ack);
    assertThat(driver.counter("refused")).isEqualTo(1);
    assertThat(driver.timeline(history.incidentId())).isEqualTo(Fold.timeline(applied));
    assertThat(driver.state(history.incidentId())).isEqualTo(Fold.fold(applied).withoutHistory());
  }

  @Test
  void an_undecodable_or_misrouted_record_is_counted_and_skipped() {
    // Given
    History history = History.random();
    history.add(triggered());

    // When
    driver.publishRaw(history.incidentId().toString(), "{not json".getBytes(StandardCharsets.UTF_8));
    driver.publishRaw(UUID.randomUUID().toString(), EventCodec.encode(History.random().add(triggered())));
    driver.publishAll(history.events());

    // Then
    assertThat(driver.counter("skipped")).isEqualTo(2);
    assertThat(driver.state(history.incidentId())).isEqualTo(Fold.fold(history.events()));
  }
}
