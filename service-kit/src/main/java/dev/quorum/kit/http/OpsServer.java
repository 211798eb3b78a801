package dev.quorum.kit.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quorum.kit.lifecycle.Service;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.security.RouteRole;
import io.javalin.validation.ValidationException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.DispatcherType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import org.eclipse.jetty.servlet.FilterHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server of a service: {@code /metrics} (Prometheus), {@code /healthz} (liveness),
 * {@code /readyz} (the named readiness checks), the service's own routes behind bearer
 * authentication, a request size limit (413), and RFC 9457 problem bodies for every error (never a
 * stack trace in a response).
 *
 * <p>With {@link Builder#opsPort}, the ops endpoints (and {@link Builder#opsRoutes}) are served on a
 * port of their own, so that a service whose main port faces the internet does not publish its
 * metrics, readiness details or API description there.
 */
public final class OpsServer implements Service {
  private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);
  /** One line per request: method, path (never the query), status, time, client; never headers or bodies. */
  private static final Logger ACCESS = LoggerFactory.getLogger("dev.quorum.kit.http.access");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> OPS_PATHS = Set.of("/metrics", "/healthz", "/readyz");
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  static final String OPENMETRICS_TEXT = "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private final Javalin app;
  /** The ops endpoints' server when they have a port of their own, else null (they are on {@link #app}). */
  private final Javalin ops;
  private final String opsHost;
  private final Integer requestedOpsPort;
  private final String host;
  private final int requestedPort;
  private final long maxRequestBytes;
  private final PrometheusMeterRegistry registry;
  private final BearerAuth auth;
  private final Map<String, HealthCheck> checks;
  private boolean started;
  private boolean closed;

  private OpsServer(Builder builder) {
    this.host = builder.host;
    this.requestedPort = builder.port;
    this.maxRequestBytes = builder.maxRequestBytes;
    this.registry = builder.registry;
    this.auth = builder.auth;
    this.checks = new LinkedHashMap<>(builder.checks);
    this.opsHost = builder.opsHost == null ? builder.host : builder.opsHost;
    this.requestedOpsPort = builder.opsPort;
    Map<String, Long> routeLimits = Map.copyOf(builder.routeLimits);
    long largest = routeLimits.values().stream().mapToLong(Long::longValue).max().orElse(0);
    long fallback = builder.maxRequestBytes;
    this.app = newApp(Math.max(fallback, largest), path -> routeLimits.getOrDefault(path, fallback));
    this.ops = builder.opsPort == null ? null : newApp(OPS_MAX_REQUEST_BYTES, path -> OPS_MAX_REQUEST_BYTES);
    Javalin opsApp = ops == null ? app : ops;
    opsApp.get("/metrics", this::metrics, Access.PUBLIC);
    opsApp.get("/healthz", ctx -> ctx.json(Map.of("status", "UP")), Access.PUBLIC);
    opsApp.get("/readyz", this::ready, Access.PUBLIC);
    app.beforeMatched(this::guard);
    builder.routes.accept(app);
    builder.opsRoutes.accept(opsApp);
  }

  /** Ops requests carry no body worth the name. */
  private static final long OPS_MAX_REQUEST_BYTES = 64 * 1024;

  /**
   * A Javalin app with the size limits, the access log and problem bodies for every error.
   *
   * @param largest the largest body any route takes
   * @param limit the largest body of a request path
   */
  private Javalin newApp(long largest, ToLongFunction<String> limit) {
    Javalin created = Javalin.create(config -> {
      config.showJavalinBanner = false;
      config.http.maxRequestSize = largest;
      config.useVirtualThreads = false;
      config.requestLogger.http(OpsServer::logRequest);
      config.jetty.modifyServletContextHandler(handler ->
          handler.addFilter(new FilterHolder(new BodyLimit(limit)), "/*", EnumSet.of(DispatcherType.REQUEST)));
    });
    created.before(ctx -> limitDeclaredLength(ctx, limit.applyAsLong(ctx.path())));
    // Javalin answers these two itself unless told otherwise, and not as problems
    created.exception(HttpResponseException.class, this::answer);
    created.exception(ValidationException.class, this::answer);
    created.exception(Exception.class, this::answer);
    created.error(404, ctx -> {
      if (ctx.result() == null || ctx.result().isEmpty()) {
        Problems.write(ctx, ProblemException.notFound("no route " + ctx.method() + " " + ctx.path()));
      }
    });
    created.error(405, ctx -> Problems.write(ctx,
        new ProblemException(405, "Method Not Allowed", ctx.method() + " is not allowed on " + ctx.path(), null, null, null)));
    return created;
  }

  public static Builder builder(PrometheusMeterRegistry registry) {
    return new Builder(registry);
  }

  /** Starts listening; returns once the port is bound. */
  @Override
  public synchronized OpsServer start() {
    if (closed) throw new IllegalStateException("the server was closed");
    if (!started) {
      app.start(host, requestedPort);
      if (ops != null) {
        try {
          ops.start(opsHost, requestedOpsPort);
        } catch (RuntimeException e) {
          app.stop();
          throw e;
        }
      }
      started = true;
      LOG.info("listening on {} (request bodies up to {} bytes, {}){}", baseUrl(), maxRequestBytes,
          auth == null ? "routes authenticate themselves" : "bearer authentication for " + auth.clientIds(),
          ops == null ? "" : "; /metrics, /healthz and /readyz on " + opsUrl());
    }
    return this;
  }

  /** The bound port (the chosen one when configured with 0). */
  public int port() {
    return app.port();
  }

  public String baseUrl() {
    return url(host, port());
  }

  /** The bound port of the ops endpoints: their own, or the main one. */
  public int opsPort() {
    return ops == null ? port() : ops.port();
  }

  /** Where {@code /metrics}, {@code /healthz} and {@code /readyz} are served. */
  public String opsUrl() {
    return ops == null ? baseUrl() : url(opsHost, ops.port());
  }

  private static String url(String host, int port) {
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** Adds or replaces a readiness check (services learn some of theirs after start). */
  public synchronized void check(String name, HealthCheck check) {
    checks.put(name, check);
  }

  private void metrics(Context ctx) throws IOException {
    String accept = ctx.header("Accept");
    String contentType = accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS_TEXT : PROMETHEUS_TEXT;
    ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
    registry.scrape(out, contentType);
    ctx.contentType(contentType).result(out.toByteArray());
  }

  private void ready(Context ctx) {
    Map<String, Object> details = new LinkedHashMap<>();
    boolean allUp = true;
    Map<String, HealthCheck> current;
    synchronized (this) {
      current = new LinkedHashMap<>(checks);
    }
    for (Map.Entry<String, HealthCheck> entry : current.entrySet()) {
      HealthCheck.Result result;
      try {
        result = entry.getValue().check();
        if (result == null) result = HealthCheck.Result.down("the check gave no result");
      } catch (RuntimeException e) {
        // the exception's text may name hosts, users or paths: it goes to the log, never into the answer
        LOG.warn("readiness check {} failed", entry.getKey(), e);
        result = HealthCheck.Result.down("the check failed; the service log has the error");
      }
      allUp &= result.up();
      details.put(entry.getKey(), Map.of("status", result.up() ? "UP" : "DOWN", "detail", String.valueOf(result.detail())));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", allUp ? "UP" : "DOWN");
    body.put("checks", details);
    try {
      ctx.status(allUp ? 200 : 503).contentType("application/json").result(JSON.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings always serializes", e);
    }
  }

  /** Refuses a body announced too large before anything reads it; unannounced ones meet {@link BodyLimit}. */
  private static void limitDeclaredLength(Context ctx, long maxRequestBytes) {
    String length = ctx.header("Content-Length");
    if (length == null) return;
    long declared;
    try {
      declared = Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      throw ProblemException.badRequest("Content-Length is not a number", null);
    }
    if (declared > maxRequestBytes) {
      throw ProblemException.tooLarge("the request body is larger than " + maxRequestBytes + " bytes");
    }
  }

  /** Authenticates every matched route that is not {@link Access#PUBLIC}, then checks its scopes. */
  private void guard(Context ctx) {
    Set<RouteRole> roles = ctx.routeRoles();
    if (roles.contains(Access.PUBLIC)) return;
    if (auth == null) {
      if (roles.stream().anyMatch(Access.Scope.class::isInstance)) {
        // fail closed: a route that asks for a scope must never be served unauthenticated
        throw new IllegalStateException("route " + ctx.endpointHandlerPath() + " declares a scope but the server has no auth");
      }
      return;
    }
    Principal principal = auth.authenticate(ctx, null);
    for (RouteRole role : roles) {
      if (role instanceof Access.Scope scope) principal.require(scope.name());
    }
  }

  private void answer(Exception e, Context ctx) {
    if (e instanceof HttpResponseException response && response.getStatus() < 400) {
      ctx.status(response.getStatus()); // a redirect thrown by a handler is an answer, not an error
      return;
    }
    ProblemException problem = ProblemMapping.clientProblem(e);
    if (problem == null) {
      LOG.error("unexpected error answering {} {}", ctx.method(), ctx.path(), e);
      problem = ProblemMapping.INTERNAL;
    } else if (problem.status() >= 500) {
      LOG.warn("answering {} {} with {}: {}", ctx.method(), ctx.path(), problem.status(), problem.detail());
    }
    Problems.write(ctx, problem);
  }

  private static void logRequest(Context ctx, Float millis) {
    boolean probe = OPS_PATHS.contains(ctx.path());
    if (probe ? !ACCESS.isDebugEnabled() : !ACCESS.isInfoEnabled()) return;
    Principal principal = ctx.attribute(BearerAuth.PRINCIPAL_ATTRIBUTE);
    String client = principal == null ? "-" : principal.clientId();
    String format = "{} {} {} {}ms client={}";
    Object[] args = {ctx.method(), ctx.path(), ctx.statusCode(), Math.round(millis), client};
    if (probe) ACCESS.debug(format, args);
    else ACCESS.info(format, args);
  }

  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    if (ops != null) ops.stop();
    app.stop();
  }

  /** Configures an {@link OpsServer}. */
  public static final class Builder {
    private final PrometheusMeterRegistry registry;
    private String host = "127.0.0.1";
    private int port;
    private long maxRequestBytes = 1024 * 1024;
    private BearerAuth auth;
    private final Map<String, HealthCheck> checks = new LinkedHashMap<>();
    private Consumer<Javalin> routes = app -> { };
    private Consumer<Javalin> opsRoutes = app -> { };
    private final Map<String, Long> routeLimits = new LinkedHashMap<>();
    private String opsHost;
    private Integer opsPort;

    private Builder(PrometheusMeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** The address to bind; 127.0.0.1 unless a service is meant to be reached from elsewhere. */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** 0 picks a free port. */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) throw new IllegalArgumentException("port must be in [0, 65535], was " + port);
      this.port = port;
      return this;
    }

    public Builder maxRequestBytes(long bytes) {
      if (bytes < 0) throw new IllegalArgumentException("maxRequestBytes must not be negative");
      this.maxRequestBytes = bytes;
      return this;
    }

    /**
     * The largest body of one route (its exact path), above or below the server's: a webhook whose
     * sender does not retry a 4xx (Alertmanager) must not lose a large group to a limit made for others.
     */
    public Builder maxRequestBytes(String path, long bytes) {
      if (bytes < 0) throw new IllegalArgumentException("maxRequestBytes must not be negative");
      routeLimits.put(Objects.requireNonNull(path, "path"), bytes);
      return this;
    }

    /**
     * Puts every route that is not {@link Access#PUBLIC} behind these bearer tokens, checking the
     * {@link Access#scope scopes} it declares. Without it, routes authenticate themselves with
     * {@link BearerAuth#authenticate}, and a route that declares a scope answers 500.
     */
    public Builder auth(BearerAuth auth) {
      this.auth = Objects.requireNonNull(auth, "auth");
      return this;
    }

    public Builder check(String name, HealthCheck check) {
      checks.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(check, "check"));
      return this;
    }

    /** The service's own routes; each call adds to the ones before. */
    public Builder routes(Consumer<Javalin> more) {
      Objects.requireNonNull(more, "routes");
      this.routes = this.routes.andThen(more);
      return this;
    }

    /**
     * Serves {@code /metrics}, {@code /healthz}, {@code /readyz} and the {@link #opsRoutes} on a port of
     * their own (0 picks one), bound to {@code host} (null: the main host); the main port then has only
     * the service's routes.
     */
    public Builder opsPort(String host, int port) {
      if (port < 0 || port > 65_535) throw new IllegalArgumentException("ops port must be in [0, 65535], was " + port);
      this.opsHost = host;
      this.opsPort = port;
      return this;
    }

    /** Routes for operators (an API description): on the ops port when there is one, else on the main port, public. */
    public Builder opsRoutes(Consumer<Javalin> more) {
      Objects.requireNonNull(more, "opsRoutes");
      this.opsRoutes = this.opsRoutes.andThen(more);
      return this;
    }

    public OpsServer build() {
      return new OpsServer(this);
    }
  }
}
