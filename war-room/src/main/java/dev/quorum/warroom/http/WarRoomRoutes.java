package dev.quorum.warroom.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quorum.event.EventData;
import dev.quorum.event.Ids;
import dev.quorum.kit.http.BearerAuth;
import dev.quorum.kit.http.Principal;
import dev.quorum.kit.http.ProblemException;
import dev.quorum.kit.http.Problems;
import dev.quorum.warroom.domain.Actions;
import dev.quorum.warroom.domain.InvalidAction;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The war room's routes: the pages, sign-in and sign-out, the reads (passed to the query API with the
 * responder's token), the actions (made into events and sent to the gateway with the responder's token)
 * and the live update stream. The browser holds only the session cookie; every state-changing request
 * carries the session's CSRF token in {@value #CSRF_HEADER} and, when the browser names it, this origin.
 */
public final class WarRoomRoutes {
  public static final String CSRF_HEADER = "X-CSRF-Token";
  /** The longest token accepted at sign-in. */
  static final int MAX_TOKEN_LENGTH = 512;
  static final String READ_SCOPE = "read";
  static final String PUBLISH_SCOPE = "publish";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SESSION_ATTRIBUTE = "quorum.warroom.session";
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private final BearerAuth responders;
  private final Sessions sessions;
  private final SessionCookie cookie;
  private final Upstream upstream;
  private final Broadcaster broadcaster;
  private final Assets assets;
  private final Clock clock;
  private final MeterRegistry registry;

  public WarRoomRoutes(BearerAuth responders, Sessions sessions, SessionCookie cookie, Upstream upstream, Broadcaster broadcaster,
      Assets assets, Clock clock, MeterRegistry registry) {
    this.responders = responders;
    this.sessions = sessions;
    this.cookie = cookie;
    this.upstream = upstream;
    this.broadcaster = broadcaster;
    this.assets = assets;
    this.clock = clock;
    this.registry = registry;
    registry.gauge("quorum_warroom_sessions", sessions, Sessions::size);
    registry.gauge("quorum_warroom_streams", broadcaster, Broadcaster::size);
  }

  public void register(Javalin app) {
    app.before(this::headers);
    app.before("/api/*", this::guard);

    app.get("/", ctx -> page(ctx, "board.html"));
    app.get("/incident", ctx -> page(ctx, "incident.html"));
    app.get("/analytics", ctx -> page(ctx, "analytics.html"));
    app.get("/signin", ctx -> assets.serve(ctx, "signin.html"));
    app.get("/assets/{name}", ctx -> {
      if (!assets.serve(ctx, ctx.pathParam("name"))) throw ProblemException.notFound("no asset " + ctx.pathParam("name"));
    });

    app.post("/api/session", this::signIn);
    app.get("/api/session", ctx -> json(ctx, 200, sessionView(session(ctx))));
    app.delete("/api/session", this::signOut);

    app.get("/api/incidents", ctx -> read(ctx, "/v1/incidents", "status", "service", "severity", "limit", "cursor"));
    app.get("/api/incidents/{id}", ctx -> read(ctx, "/v1/incidents/" + incidentId(ctx), "asOf", "axis"));
    app.get("/api/incidents/{id}/episodes/{number}", ctx -> read(ctx,
        "/v1/incidents/" + incidentId(ctx) + "/episodes/" + episode(ctx), "asOf", "axis"));
    app.get("/api/incidents/{id}/timeline", ctx -> read(ctx, "/v1/incidents/" + incidentId(ctx) + "/timeline",
        "episode", "limit", "cursor", "asOf", "axis"));
    app.get("/api/analytics/summary", ctx -> read(ctx, "/v1/analytics/summary", "by", "from", "to", "service", "severity"));
    app.get("/api/analytics/daily", ctx -> read(ctx, "/v1/analytics/daily", "from", "to", "service", "severity"));
    app.post("/api/incidents/{id}/actions", this::act);
    app.sse("/api/stream", broadcaster::open);

    app.exception(InvalidAction.class, (e, ctx) -> Problems.write(ctx, ProblemException.badRequest(e.getMessage(), e.field())));
  }

  // ------------------------------------------------------------------ guards

  /** Headers every answer carries: no framing, no sniffing, no referrer, scripts and styles only from here. */
  private void headers(Context ctx) {
    ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("X-Frame-Options", "DENY");
    if (ctx.path().startsWith("/api/")) ctx.header("Cache-Control", "no-store");
  }

  /**
   * Every API request but sign-in needs a session; a state-changing one also needs the session's CSRF
   * token and, when the browser names its origin, this origin. The stream needs room.
   */
  private void guard(Context ctx) {
    String method = ctx.method().name();
    boolean changes = !method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS");
    if (changes) sameOrigin(ctx);
    if (ctx.path().equals("/api/session") && method.equals("POST")) return;
    Sessions.Session session = sessions.find(SessionCookie.read(ctx))
        .orElseThrow(() -> ProblemException.unauthorized("sign in first"));
    ctx.attribute(SESSION_ATTRIBUTE, session);
    if (changes && !session.csrfMatches(ctx.header(CSRF_HEADER))) {
      throw new ProblemException(403, "Forbidden", "the request lacks this session's CSRF token", CSRF_HEADER);
    }
    if (ctx.path().equals("/api/stream") && !broadcaster.hasRoom()) {
      throw ProblemException.unavailable("too many live update streams are open", 5);
    }
  }

  /** Refuses a state-changing request that a page of another origin sent. */
  static void sameOrigin(Context ctx) {
    String origin = ctx.header("Origin");
    String site = ctx.header("Sec-Fetch-Site");
    if (site != null && !site.equals("same-origin") && !site.equals("none")) {
      throw new ProblemException(403, "Forbidden", "requests from other sites are refused", "Sec-Fetch-Site");
    }
    if (origin == null) return;
    String host = ctx.header("Host");
    String expected = (SessionCookie.overTls(ctx) ? "https://" : "http://") + host;
    if (host == null || !origin.equalsIgnoreCase(expected)) {
      throw new ProblemException(403, "Forbidden", "requests from other origins are refused", "Origin");
    }
  }

  private static Sessions.Session session(Context ctx) {
    Sessions.Session session = ctx.attribute(SESSION_ATTRIBUTE);
    if (session == null) throw ProblemException.unauthorized("sign in first");
    return session;
  }

  // ------------------------------------------------------------------ pages and sessions

  private void page(Context ctx, String file) {
    if (sessions.find(SessionCookie.read(ctx)).isEmpty()) {
      ctx.redirect("/signin", io.javalin.http.HttpStatus.SEE_OTHER);
      return;
    }
    assets.serve(ctx, file);
  }

  private void signIn(Context ctx) {
    String token = token(ctx.bodyAsBytes());
    Principal principal = responders.principal("Bearer " + token);
    if (principal == null) {
      registry.counter("quorum_warroom_signins_total", "outcome", "refused").increment();
      throw new ProblemException(401, "Unauthorized", "the token is not valid", "token");
    }
    for (String scope : List.of(READ_SCOPE, PUBLISH_SCOPE)) {
      if (!principal.has(scope)) {
        registry.counter("quorum_warroom_signins_total", "outcome", "missing-scope").increment();
        throw new ProblemException(403, "Forbidden", "the token lacks the " + scope + " scope a responder needs", "token");
      }
    }
    Sessions.Session session = sessions.open(token, principal);
    registry.counter("quorum_warroom_signins_total", "outcome", "signed-in").increment();
    ctx.header("Set-Cookie", cookie.set(session.id(), SessionCookie.overTls(ctx)));
    json(ctx, 201, sessionView(session));
  }

  /** The token of a sign-in body: {@code {"token": "..."}}, visible ASCII, bounded. */
  static String token(byte[] body) {
    JsonNode tree;
    try {
      tree = JSON.readTree(body);
    } catch (IOException e) {
      throw ProblemException.badRequest("the body must be JSON: {\"token\": \"...\"}", "$");
    }
    JsonNode node = tree == null ? null : tree.get("token");
    if (node == null || !node.isTextual() || node.asText().isBlank()) throw ProblemException.badRequest("is required", "token");
    String token = node.asText().strip();
    if (token.length() > MAX_TOKEN_LENGTH) {
      throw ProblemException.badRequest("is longer than " + MAX_TOKEN_LENGTH + " characters", "token");
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c <= ' ' || c > '~') throw ProblemException.badRequest("may hold only visible ASCII characters", "token");
    }
    return token;
  }

  private void signOut(Context ctx) {
    sessions.close(session(ctx).id());
    ctx.header("Set-Cookie", cookie.clear(SessionCookie.overTls(ctx)));
    ctx.status(204);
  }

  private static Map<String, Object> sessionView(Sessions.Session session) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("actor", session.principal().actor());
    view.put("csrf", session.csrf());
    view.put("actions", Actions.names().stream().sorted().toList());
    return view;
  }

  // ------------------------------------------------------------------ reads and actions

  /** Passes a read to the query API with the responder's token and only the named parameters. */
  private void read(Context ctx, String path, String... parameters) {
    Map<String, String> forwarded = new LinkedHashMap<>();
    for (String name : parameters) {
      String value = ctx.queryParam(name);
      if (value != null && !value.isEmpty()) forwarded.put(name, value);
    }
    relay(ctx, upstream.read(session(ctx).token(), path, forwarded));
  }

  private void act(Context ctx) {
    Sessions.Session session = session(ctx);
    UUID incident = incidentId(ctx);
    JsonNode request;
    try {
      request = JSON.readTree(ctx.bodyAsBytes());
    } catch (IOException e) {
      throw new InvalidAction("$", "must be JSON");
    }
    EventData data = Actions.data(request, session.principal().actor());
    ObjectNode event = Actions.event(incident, data, Ids.newEventId(), clock.instant());
    Upstream.Answer answer = upstream.publish(session.token(), event.toString().getBytes(StandardCharsets.UTF_8));
    registry.counter("quorum_warroom_actions_total", "action", request.path("action").asText(),
        "status", Integer.toString(answer.status())).increment();
    relay(ctx, answer);
  }

  private static void relay(Context ctx, Upstream.Answer answer) {
    ctx.status(answer.status()).contentType(answer.contentType()).result(answer.body());
  }

  private static UUID incidentId(Context ctx) {
    try {
      return UUID.fromString(ctx.pathParam("id"));
    } catch (IllegalArgumentException e) {
      throw ProblemException.badRequest("not an incident id (a UUID)", "id");
    }
  }

  private static int episode(Context ctx) {
    try {
      int number = Integer.parseInt(ctx.pathParam("number"));
      if (number < 0) throw new NumberFormatException();
      return number;
    } catch (NumberFormatException e) {
      throw ProblemException.badRequest("not an episode number", "number");
    }
  }

  private static void json(Context ctx, int status, Object body) {
    try {
      ctx.status(status).contentType("application/json").result(JSON.writeValueAsBytes(body));
    } catch (IOException e) {
      throw new IllegalStateException("maps of strings always serialize", e);
    }
  }
}
