package dev.quorum.projection.http;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.quorum.event.Event;
import dev.quorum.event.Schemas;
import dev.quorum.event.Severity;
import dev.quorum.event.fold.Axis;
import dev.quorum.event.fold.Episode;
import dev.quorum.event.fold.Fold;
import dev.quorum.event.fold.IncidentState;
import dev.quorum.event.fold.OrderKey;
import dev.quorum.event.fold.Status;
import dev.quorum.event.fold.TimelineEntry;
import dev.quorum.kit.http.BearerAuth;
import dev.quorum.kit.http.Documents;
import dev.quorum.kit.http.ProblemException;
import dev.quorum.kit.http.Problems;
import dev.quorum.projection.domain.Analytics;
import dev.quorum.projection.domain.AsOfViews;
import dev.quorum.projection.domain.Analytics.Dimension;
import dev.quorum.projection.domain.Bucket;
import dev.quorum.projection.domain.BucketKey;
import dev.quorum.projection.domain.EventLog;
import dev.quorum.projection.domain.EpisodeItems;
import dev.quorum.projection.domain.Listing;
import dev.quorum.projection.domain.TimelinePage;
import dev.quorum.projection.domain.Views;
import dev.quorum.projection.kafka.Instances;
import dev.quorum.projection.kafka.LocalViews;
import dev.quorum.projection.kafka.ViewSerdes;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import dev.quorum.projection.kafka.StreamsHealth;
import dev.quorum.store.StoreException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The query API: incidents, episodes, timelines and analytics from the views, answered by the instance
 * that holds the incident (or by all instances for lists), and as-of answers from the views' checkpoints
 * (RECORDED, on the instance that holds the incident) or from the event log.
 */
public final class QueryApi implements AutoCloseable {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 1000;
  /** Names the instance that answered, {@code host:port}. */
  static final String INSTANCE = "X-Quorum-Instance";
  /** Where an as-of answer came from: {@code views} (checkpoints, ADR 8) or {@code event-log}. */
  static final String AS_OF_SOURCE = "X-Quorum-As-Of-Source";
  /** The scope a client needs to read the views. */
  public static final String READ_SCOPE = "read";
  /** This API's OpenAPI document on the classpath (and under src/main/resources in the repository). */
  public static final String OPENAPI_RESOURCE = "dev/quorum/projection/http/openapi.json";

  private final BearerAuth auth;
  private final Peers peers;
  private volatile LocalViews views;
  private volatile Instances instances;
  private volatile StreamsHealth health;
  private final EventLog log;
  private final Clock clock;
  private final Duration settle;
  /** When this instance's views last held every event published to a partition before (null: unknown). */
  private volatile IntFunction<Instant> caughtUp;

  /**
   * @param log the event log for as-of and event lookups, or null when no database is configured
   * @param settle the writer's transaction cap: a RECORDED answer for T is settled once T is older
   */
  public QueryApi(BearerAuth auth, EventLog log, Clock clock, Duration settle, Duration peerTimeout) {
    this.auth = auth;
    this.peers = new Peers(peerTimeout);
    this.log = log;
    this.clock = clock;
    this.settle = settle;
  }

  // ------------------------------------------------------------------ response shapes

  /** A page of incidents (episodes) and the cursor of the next page. */
  public record IncidentList(List<Views.IncidentView> items, String next) {}

  /** A page of a timeline. */
  public record Timeline(UUID incidentId, List<Views.TimelineView> entries, String next) {}

  /** One page of an episode's signals; {@code next} is the cursor of the next page. */
  public record Signals(UUID incidentId, int episode, List<SignalView> signals, String next) {}

  public record SignalView(String fingerprint, String status) {}

  /** One page of an episode's follow-ups in id order; {@code next} is the cursor of the next page. */
  public record Followups(UUID incidentId, int episode, List<Episode.Followup> followups, String next) {}

  /** One page of an episode's assignees in name order; {@code next} is the cursor of the next page. */
  public record Assignees(UUID incidentId, int episode, List<String> assignees, String next) {}

  /** The answer of one page of an episode's items, from the items shown and the cursor of the next page. */
  @FunctionalInterface
  private interface ItemPage<T> {
    Object answer(UUID incidentId, int episode, List<T> shown, String next);
  }

  /** An as-of answer: the instant, its axis, for RECORDED the settled horizon, and the view. */
  public record AsOf<T>(Instant asOf, String axis, Instant settledHorizon, Boolean settled, T view) {}

  /** Whether an event is stored and whether the views have applied it. */
  public record EventStatus(
      UUID eventId, boolean stored, boolean applied, UUID incidentId, Instant recordedAt, Integer episode, String effect) {}

  /** One row of an analytics answer. */
  public record AnalyticsRow(
      LocalDate day, String service, String severity, long episodes, long acknowledged, Double meanSecondsToAcknowledge,
      long resolved, Double meanSecondsToResolve, long escalations, long reopens) {

    /** The answer's row of a roll-up's row. */
    public static AnalyticsRow of(Analytics.Row r) {
      Bucket b = r.bucket();
      return new AnalyticsRow(r.day(), r.service(), r.severity(), b.episodes(), b.acknowledged(), b.meanSecondsToAcknowledge(),
          b.resolved(), b.meanSecondsToResolve(), b.escalations(), b.reopens());
    }
  }

  record BucketEntry(String key, Bucket bucket) {}

  // ------------------------------------------------------------------ routes

  @Override
  public void close() {
    peers.close();
  }

  /** Connects the API to the running Streams client; until then every query answers 503. */
  public void attach(LocalViews localViews, Instances allInstances, StreamsHealth streamsHealth) {
    this.views = localViews;
    this.health = streamsHealth;
    this.instances = allInstances;
  }

  /**
   * Lets RECORDED as-of answers come from this instance's checkpoints (ADR 8) for instants the views hold
   * whole: {@code caughtUp} tells when the views last held every event published to a partition.
   */
  public void answerAsOfFromViews(IntFunction<Instant> caughtUp) {
    this.caughtUp = caughtUp;
  }

  public void register(Javalin app) {
    app.before("/v1/*", ctx -> {
      auth.authenticate(ctx, READ_SCOPE);
      if (instances == null) throw unavailable("the projection is starting");
      // Which instance answered: relayed answers carry the owner's name (see routed).
      ctx.header(INSTANCE, name(instances.self()));
    });
    app.get("/v1/incidents", this::listIncidents);
    app.get("/v1/incidents/{id}", this::incident);
    app.get("/v1/incidents/{id}/episodes/{number}", this::episode);
    app.get("/v1/incidents/{id}/episodes/{number}/signals", ctx -> items(ctx, EpisodeItems.SIGNAL,
        i -> new SignalView(i.fingerprint(), i.status().name().toLowerCase(Locale.ROOT)), SignalView::fingerprint,
        Signals::new));
    app.get("/v1/incidents/{id}/episodes/{number}/followups", ctx -> items(ctx, EpisodeItems.FOLLOWUP,
        EpisodeItems.Item::followup, Episode.Followup::id, Followups::new));
    app.get("/v1/incidents/{id}/episodes/{number}/assignees", ctx -> items(ctx, EpisodeItems.ASSIGNEE,
        EpisodeItems.Item::assignee, name -> name, Assignees::new));
    app.get("/v1/incidents/{id}/timeline", this::timeline);
    app.get("/v1/events/{eventId}", this::event);
    app.get("/v1/analytics/daily", ctx -> analytics(ctx, EnumSet.allOf(Dimension.class)));
    app.get("/v1/analytics/summary", ctx -> analytics(ctx, dimensions(ctx)));
    app.exception(InvalidStateStoreException.class, (e, ctx) ->
        Problems.write(ctx, unavailable("the views are being restored or rebalanced: " + e.getMessage())));
    app.exception(StoreException.class, (e, ctx) -> {
      if (!e.isUnavailable()) throw e;
      Problems.write(ctx, unavailable("the event log cannot be read now: " + e.getMessage()));
    });
  }

  /**
   * The API's description and the record schemas it refers to (public, beside {@code /metrics}: they describe
   * the service and hold no data, so a client generator reads them without a token).
   */
  public void registerOps(Javalin app) {
    Documents.serve(app, "/openapi.json", "application/json", openApiDocument());
    Documents.catalogue(app, "/schemas", Schemas.index(), Schemas::find, Schemas.MEDIA_TYPE);
  }

  /** The OpenAPI document kept in the repository. */
  public static byte[] openApiDocument() {
    return Documents.resource(QueryApi.class, OPENAPI_RESOURCE);
  }

  private void listIncidents(Context ctx) {
    Listing.Filter filter = new Listing.Filter(
        new HashSet<>(Params.enums(ctx, "status", Status.class)),
        Params.text(ctx, "service"),
        Optional.ofNullable(Params.text(ctx, "severity")).map(s -> Params.enumValue("severity", s, Severity.class)).orElse(null));
    String cursor = Params.text(ctx, "cursor");
    Listing.Position after = cursor == null ? null
        : Params.listCursor("cursor", cursor);
    int limit = limit(ctx);
    if (isLocalScope(ctx)) {
      json(ctx, views.incidents(filter, after, limit, partitionsAsked(ctx)));
      return;
    }
    List<Listing.Page> pages = gather(ctx, false, partitions -> views.incidents(filter, after, limit, partitions),
        new TypeReference<>() {});
    Listing.Page page = Listing.merge(pages, limit);
    json(ctx, new IncidentList(
        page.items().stream().map(i -> Views.incident(i.incidentId(), i.episode())).toList(), page.next()));
  }

  private void incident(Context ctx) {
    UUID id = Params.uuidPath(ctx, "id");
    Instant asOf = Params.instant(ctx, "asOf");
    if (asOf != null) {
      Axis axis = axis(ctx);
      if (relayedAsOf(ctx, id, axis)) return;
      IncidentState state = from(ctx, fromViews(id, asOf, axis, views -> views.state(id, asOf, axis)))
          .orElseGet(() -> foldAsOf(id, asOf, axis));
      json(ctx, asOf(asOf, axis, Views.stream(state)));
      return;
    }
    routed(ctx, id, partition -> json(ctx, Views.stream(views.state(id, partition)
        .orElseThrow(() -> ProblemException.notFound("no incident " + id)))));
  }

  private void episode(Context ctx) {
    UUID id = Params.uuidPath(ctx, "id");
    int number = Params.episodeNumber("number", ctx.pathParam("number"));
    Instant asOf = Params.instant(ctx, "asOf");
    if (asOf != null) {
      Axis axis = axis(ctx);
      if (relayedAsOf(ctx, id, axis)) return;
      Episode episode = from(ctx, fromViews(id, asOf, axis, views -> views.episode(id, number, asOf, axis)))
          .or(() -> foldAsOf(id, asOf, axis).episode(number))
          .orElseThrow(() -> ProblemException.notFound("incident " + id + " had no episode " + number + " as of " + asOf));
      json(ctx, asOf(asOf, axis, Views.incident(id, episode)));
      return;
    }
    routed(ctx, id, partition -> json(ctx, Views.incident(id, views.episode(id, number, partition)
        .orElseThrow(() -> ProblemException.notFound("incident " + id + " has no episode " + number)))));
  }

  /**
   * One page of an episode's items of one kind in name order: its signals, follow-ups or assignees, the
   * long lists its view also holds (ADR 8). The cursor is the name of the last item of the page before.
   */
  private <T> void items(Context ctx, byte kind, Function<EpisodeItems.Item, T> view, Function<T, String> name,
      ItemPage<T> answer) {
    UUID id = Params.uuidPath(ctx, "id");
    int number = Params.episodeNumber("number", ctx.pathParam("number"));
    String after = Params.text(ctx, "cursor");
    int limit = limit(ctx);
    routed(ctx, id, partition -> {
      if (!views.hasEpisode(id, number, partition)) {
        throw ProblemException.notFound("incident " + id + " has no episode " + number);
      }
      List<EpisodeItems.Item> page = views.items(id, number, kind, after, limit + 1, partition);
      List<T> shown = page.stream().limit(limit).map(view).toList();
      json(ctx, answer.answer(id, number, shown, page.size() > limit ? name.apply(shown.getLast()) : null));
    });
  }

  private void timeline(Context ctx) {
    UUID id = Params.uuidPath(ctx, "id");
    Integer episode = Params.integer(ctx, "episode", 0, Integer.MAX_VALUE);
    String cursor = Params.text(ctx, "cursor");
    OrderKey after = cursor == null ? null
        : Params.timelineCursor("cursor", cursor);
    int limit = limit(ctx);
    Instant asOf = Params.instant(ctx, "asOf");
    if (asOf != null) {
      Axis axis = axis(ctx);
      if (relayedAsOf(ctx, id, axis)) return;
      TimelinePage page = from(ctx, fromViews(id, asOf, axis, views -> views.timeline(id, asOf, axis, after, episode, limit)))
          .orElseGet(() -> TimelinePage.of(Fold.timeline(eventsAsOf(id, asOf, axis)).iterator(), after, episode, limit));
      json(ctx, asOf(asOf, axis, timelineView(id, page)));
      return;
    }
    routed(ctx, id, partition -> {
      if (views.state(id, partition).isEmpty()) throw ProblemException.notFound("no incident " + id);
      json(ctx, timelineView(id, views.timeline(id, after, episode, limit, partition)));
    });
  }

  private void event(Context ctx) {
    UUID eventId = Params.uuidPath(ctx, "eventId");
    Optional<Event> stored = requireLog().find(eventId);
    if (stored.isEmpty()) {
      json(ctx, new EventStatus(eventId, false, false, null, null, null, null));
      return;
    }
    Event event = stored.get();
    routed(ctx, event.incidentId(), partition -> {
      Optional<TimelineEntry> entry = views.timelineEntry(event.incidentId(), event.orderKey(), partition);
      json(ctx, new EventStatus(eventId, true, entry.isPresent(), event.incidentId(), event.stored().recordedAt(),
          entry.map(TimelineEntry::episode).orElse(null),
          entry.map(e -> e.effect().name().toLowerCase(Locale.ROOT)).orElse(null)));
    });
  }

  private void analytics(Context ctx, Set<Dimension> by) {
    Analytics.Selection selection = new Analytics.Selection(
        Params.date(ctx, "from"), Params.date(ctx, "to"), Params.text(ctx, "service"), Params.text(ctx, "severity"));
    Function<Collection<Integer>, List<BucketEntry>> local = partitions -> views.buckets(selection::matches, partitions)
        .stream().map(e -> new BucketEntry(e.getKey().encode(), e.getValue())).toList();
    if (isLocalScope(ctx)) {
      json(ctx, local.apply(partitionsAsked(ctx)));
      return;
    }
    List<Map.Entry<BucketKey, Bucket>> buckets = new ArrayList<>();
    for (List<BucketEntry> share : gather(ctx, true, local, new TypeReference<List<BucketEntry>>() {})) {
      share.forEach(b -> buckets.add(new SimpleImmutableEntry<>(BucketKey.decode(b.key()), b.bucket())));
    }
    json(ctx, Analytics.rollUp(buckets, selection, by).stream().map(AnalyticsRow::of).toList());
  }

  // ------------------------------------------------------------------ routing

  /**
   * Answers locally, from the incident's partition, when this instance runs its active task; else relays
   * the owner's answer. The local store of a partition that is restoring or moving answers 503, never 404.
   */
  private void routed(Context ctx, UUID incidentId, IntConsumer local) {
    requireServing();
    Instances.Owner found = instances.owner(incidentId)
        .orElseThrow(() -> unavailable("the instances are rebalancing; no owner of " + incidentId + " yet"));
    HostInfo owner = found.host();
    if (instances.isSelf(owner)) {
      local.accept(found.partition());
      return;
    }
    if (ctx.header(Peers.FORWARDED) != null) {
      // Passed on once already: ownership moved in between; the client's retry will find the new owner.
      throw unavailable("incident " + incidentId + " moved to " + owner + " while the request was passed on");
    }
    relay(ctx, ask(owner, ctx, null));
  }

  /** Passes another instance's answer on as it came: status, body, and the headers naming who answered and how. */
  private static void relay(Context ctx, HttpResponse<byte[]> answer) {
    ctx.status(answer.statusCode());
    answer.headers().firstValue("Content-Type").ifPresent(ctx::contentType);
    for (String header : List.of("Retry-After", INSTANCE, AS_OF_SOURCE)) {
      answer.headers().firstValue(header).ifPresent(v -> ctx.header(header, v));
    }
    ctx.result(answer.body());
  }

  /**
   * The shares of a list, one per instance, for every partition of the views: each partition is asked of
   * the instance running its active task (standbys and idle instances are never asked). A partition that
   * no instance runs yet makes the whole answer a 503: never a partial list.
   */
  private <T> List<T> gather(Context ctx, boolean buckets, Function<Collection<Integer>, T> local, TypeReference<T> type) {
    requireServing();
    Map<Integer, HostInfo> owners = instances.activeOwners(buckets);
    List<Integer> orphans = new ArrayList<>();
    Map<HostInfo, List<Integer>> byHost = new LinkedHashMap<>();
    for (int partition = 0; partition < instances.partitions(); partition++) {
      HostInfo host = owners.get(partition);
      if (host == null) orphans.add(partition);
      else byHost.computeIfAbsent(host, h -> new ArrayList<>()).add(partition);
    }
    if (!orphans.isEmpty()) {
      throw unavailable("no instance serves partition(s) " + orphans + " yet: the instances are rebalancing");
    }
    List<T> shares = new ArrayList<>();
    for (Map.Entry<HostInfo, List<Integer>> share : byHost.entrySet()) {
      HostInfo host = share.getKey();
      if (instances.isSelf(host)) {
        shares.add(local.apply(share.getValue()));
        continue;
      }
      HttpResponse<byte[]> answer = ask(host, ctx, share.getValue());
      if (answer.statusCode() != 200) {
        throw unavailable("instance " + host + " answered " + answer.statusCode() + " for its share");
      }
      try {
        shares.add(ViewSerdes.JSON.readValue(answer.body(), type));
      } catch (IOException e) {
        throw unavailable("instance " + host + " sent an unreadable share: " + e.getMessage());
      }
    }
    return shares;
  }

  /** Asks {@code host} the same request: for its share of {@code partitions}, or (null) to answer it whole. */
  private HttpResponse<byte[]> ask(HostInfo host, Context ctx, List<Integer> partitions) {
    try {
      return send(host, ctx, partitions);
    } catch (IOException e) {
      throw unavailable("instance " + host + " cannot be reached: " + e.getMessage());
    }
  }

  /** {@link #ask}, with {@link IOException} when {@code host} cannot be reached. */
  private HttpResponse<byte[]> send(HostInfo host, Context ctx, List<Integer> partitions) throws IOException {
    String query = ctx.queryString();
    return peers.get(host, ctx.path() + (query == null ? "" : "?" + query), ctx.header("Authorization"), partitions);
  }

  private static ProblemException unavailable(String detail) {
    return ProblemException.unavailable(detail, 1);
  }

  private static boolean isLocalScope(Context ctx) {
    return Peers.LOCAL.equals(ctx.header(Peers.SCOPE));
  }

  /** The partitions an instance is asked to answer for (header {@link Peers#PARTITIONS}). */
  private static List<Integer> partitionsAsked(Context ctx) {
    String header = ctx.header(Peers.PARTITIONS);
    if (header == null || header.isBlank()) {
      throw ProblemException.badRequest("a share of a list names its partitions in " + Peers.PARTITIONS, Peers.PARTITIONS);
    }
    try {
      return java.util.Arrays.stream(header.split(",")).map(String::trim).map(Integer::parseInt).toList();
    } catch (NumberFormatException e) {
      throw ProblemException.badRequest("not a list of partitions: " + header, Peers.PARTITIONS);
    }
  }

  /**
   * The owner of the incident as far as this instance can tell now, or empty: while its Streams client is
   * not running ({@link #requireServing} would answer 503) or the group rebalances. For answers that have
   * another source than the owner's views: as-of answers fold the event log then.
   */
  private Optional<Instances.Owner> knownOwner(UUID incidentId) {
    if (health.notServing().isPresent()) return Optional.empty();
    try {
      return instances.owner(incidentId);
    } catch (InvalidStateStoreException | IllegalStateException e) {
      return Optional.empty(); // the client stopped since it was asked
    }
  }

  /** 503 with the reason while the Streams client is not started, failed or shutting down. */
  private void requireServing() {
    health.notServing().ifPresent(reason -> {
      throw unavailable("the views cannot be read: " + reason);
    });
  }

  // ------------------------------------------------------------------ as-of

  private List<Event> eventsAsOf(UUID id, Instant asOf, Axis axis) {
    List<Event> events = requireLog().incidentAsOf(id, asOf, axis);
    if (events.isEmpty()) {
      throw ProblemException.notFound(
          "incident " + id + " had no events as of " + asOf + " (" + axis.name().toLowerCase(Locale.ROOT) + ")");
    }
    return events;
  }

  /**
   * An as-of answer from this instance's checkpoints, or empty when the event log must answer: only on
   * the RECORDED axis (on the OCCURRED axis any event still to come may have occurred before the instant),
   * only by the instance running the incident's active task, and only when its views held every event
   * published before {@code asOf} + the settling time (the writer publishes what it recorded within it).
   * The settling time also bounds the clock skew between broker and database (see {@link AsOfViews}).
   */
  private <T> Optional<T> fromViews(UUID id, Instant asOf, Axis axis, Function<AsOfViews, Optional<T>> answer) {
    IntFunction<Instant> applied = caughtUp;
    if (axis != Axis.RECORDED || applied == null || views == null) return Optional.empty();
    Optional<Instances.Owner> owner = knownOwner(id);
    if (owner.isEmpty() || !instances.isSelf(owner.get().host())) return Optional.empty();
    int partition = owner.get().partition();
    Instant since = applied.apply(partition);
    if (since == null || asOf.plus(settle).isAfter(since)) return Optional.empty();
    try {
      return answer.apply(new AsOfViews(views.asOf(partition), settle));
    } catch (InvalidStateStoreException e) {
      return Optional.empty(); // moving or restoring here: the log answers
    }
  }

  /**
   * Relays a RECORDED as-of request to the instance running the incident's active task, which answers it
   * from its checkpoints when it can (ADR 8) and from the event log otherwise, and passes its answer on
   * with its {@link #AS_OF_SOURCE} and {@link #INSTANCE}: true when it did. False when this instance is
   * the owner (its own views answer, see {@link #fromViews}), and else, with this instance folding the
   * event log (slower, as right): the axis is OCCURRED (nothing bounds what is still to come, so no views
   * answer it); answers from the views are off ({@link #answerAsOfFromViews} not called: rebuilding views,
   * mirrored topics); the request was relayed once already (one hop: the ownership moved in between); no
   * owner is known (not running, rebalancing); the owner cannot be reached in the peer timeout, or gives no
   * answer (503 while it restores or hands the partition over, any failure). The owner's 404 is an
   * answer: it folded the same event log.
   */
  private boolean relayedAsOf(Context ctx, UUID id, Axis axis) {
    if (axis != Axis.RECORDED || caughtUp == null || ctx.header(Peers.FORWARDED) != null) return false;
    Optional<Instances.Owner> owner = knownOwner(id);
    if (owner.isEmpty() || instances.isSelf(owner.get().host())) return false;
    HttpResponse<byte[]> answer;
    try {
      answer = send(owner.get().host(), ctx, null);
    } catch (IOException unreachable) {
      return false;
    }
    if (answer.statusCode() != 200 && answer.statusCode() != 404) return false;
    relay(ctx, answer);
    return true;
  }

  /** Names where the as-of answer came from. */
  private static <T> Optional<T> from(Context ctx, Optional<T> fromViews) {
    ctx.header(AS_OF_SOURCE, fromViews.isPresent() ? "views" : "event-log");
    return fromViews;
  }

  private IncidentState foldAsOf(UUID id, Instant asOf, Axis axis) {
    return Fold.fold(eventsAsOf(id, asOf, axis));
  }

  private <T> AsOf<T> asOf(Instant asOf, Axis axis, T view) {
    if (axis == Axis.OCCURRED) return new AsOf<>(asOf, "occurred", null, null, view);
    Instant horizon = clock.instant().minus(settle);
    return new AsOf<>(asOf, "recorded", horizon, !asOf.isAfter(horizon), view);
  }

  private static Axis axis(Context ctx) {
    String axis = Params.text(ctx, "axis");
    return axis == null ? Axis.RECORDED : Params.enumValue("axis", axis, Axis.class);
  }

  private EventLog requireLog() {
    if (log == null) throw unavailable("no event log is configured (projection.db.url)");
    return log;
  }

  // ------------------------------------------------------------------ helpers

  private static Timeline timelineView(UUID id, TimelinePage page) {
    return new Timeline(id, page.entries().stream().map(Views::timeline).toList(),
        page.next() == null ? null : Base64.getUrlEncoder().withoutPadding().encodeToString(page.next().toBytes()));
  }

  /** Writes with the views' own mapper (ISO-8601 times), whatever mapper the server was given. */
  private static void json(Context ctx, Object body) {
    try {
      ctx.contentType("application/json").result(ViewSerdes.JSON.writeValueAsBytes(body));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a view always serializes", e);
    }
  }

  private static String name(HostInfo host) {
    return host.host() + ":" + host.port();
  }

  private static int limit(Context ctx) {
    Integer limit = Params.integer(ctx, "limit", 1, MAX_LIMIT);
    return limit == null ? DEFAULT_LIMIT : limit;
  }

  private static Set<Dimension> dimensions(Context ctx) {
    List<Dimension> by = Params.enums(ctx, "by", Dimension.class);
    return by.isEmpty() ? EnumSet.of(Dimension.SERVICE, Dimension.SEVERITY) : EnumSet.copyOf(by);
  }
}
