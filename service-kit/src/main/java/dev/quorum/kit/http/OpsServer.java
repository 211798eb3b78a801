package dev.quorum.kit.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server of a service: {@code /metrics} (Prometheus), {@code /healthz} (liveness),
 * {@code /readyz} (the named readiness checks), the service's own routes, a request size limit (413),
 * and RFC 9457 problem bodies for every error (never a stack trace in a response).
 */
public final class OpsServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Javalin app;
  private final String host;
  private final int requestedPort;
  private final Map<String, HealthCheck> checks;
  private boolean started;
  private boolean closed;

  private OpsServer(Builder builder) {
    this.host = builder.host;
    this.requestedPort = builder.port;
    this.checks = new LinkedHashMap<>(builder.checks);
    long maxBody = builder.maxRequestBytes;
    this.app = Javalin.create(config -> {
      config.showJavalinBanner = false;
      config.http.maxRequestSize = maxBody;
      config.useVirtualThreads = false;
    });
    PrometheusMeterRegistry registry = builder.registry;
    app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape()));
    app.get("/healthz", ctx -> ctx.json(Map.of("status", "UP")));
    app.get("/readyz", this::ready);
    app.before(ctx -> {
      String length = ctx.header("Content-Length");
      if (length != null) {
        try {
          if (Long.parseLong(length.trim()) > maxBody) {
            throw new ProblemException(413, "Content Too Large",
                "the request body is larger than " + maxBody + " bytes", null, null, null);
          }
        } catch (NumberFormatException e) {
          throw ProblemException.badRequest("Content-Length is not a number", null);
        }
      }
    });
    app.exception(ProblemException.class, (e, ctx) -> Problems.write(ctx, e));
    app.exception(HttpResponseException.class, (e, ctx) -> Problems.write(ctx,
        new ProblemException(e.getStatus(), title(e.getStatus()), e.getMessage(), null, null, null)));
    app.exception(Exception.class, (e, ctx) -> {
      LOG.error("unexpected error answering {} {}", ctx.method(), ctx.path(), e);
      Problems.write(ctx, new ProblemException(500, "Internal Server Error",
          "the server could not answer; the error is in its log", null, null, null));
    });
    app.error(404, ctx -> {
      if (ctx.result() == null || ctx.result().isEmpty()) {
        Problems.write(ctx, ProblemException.notFound("no route " + ctx.method() + " " + ctx.path()));
      }
    });
    app.error(405, ctx -> Problems.write(ctx,
        new ProblemException(405, "Method Not Allowed", ctx.method() + " is not allowed on " + ctx.path(), null, null, null)));
    builder.routes.accept(app);
  }

  public static Builder builder(PrometheusMeterRegistry registry) {
    return new Builder(registry);
  }

  /** Starts listening; returns once the port is bound. */
  public synchronized OpsServer start() {
    if (!started) {
      app.start(host, requestedPort);
      started = true;
      LOG.info("listening on http://{}:{}", host, port());
    }
    return this;
  }

  public int port() {
    return app.port();
  }

  public String baseUrl() {
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
  }

  /** Adds or replaces a readiness check (services learn some of theirs after start). */
  public synchronized void check(String name, HealthCheck check) {
    checks.put(name, check);
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
      } catch (RuntimeException e) {
        result = HealthCheck.Result.down(e.getClass().getSimpleName() + ": " + e.getMessage());
      }
      allUp &= result.up();
      details.put(entry.getKey(), Map.of("status", result.up() ? "UP" : "DOWN", "detail", String.valueOf(result.detail())));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", allUp ? "UP" : "DOWN");
    body.put("checks", details);
    try {
      ctx.status(allUp ? 200 : 503).contentType("application/json").result(JSON.writeValueAsString(body));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String title(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 413 -> "Content Too Large";
      case 415 -> "Unsupported Media Type";
      case 503 -> "Service Unavailable";
      default -> "HTTP " + status;
    };
  }

  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    app.stop();
  }

  /** Configures an {@link OpsServer}. */
  public static final class Builder {
    private final PrometheusMeterRegistry registry;
    private String host = "127.0.0.1";
    private int port;
    private long maxRequestBytes = 1024 * 1024;
    private final Map<String, HealthCheck> checks = new LinkedHashMap<>();
    private Consumer<Javalin> routes = app -> { };

    private Builder(PrometheusMeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
    }

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /** 0 picks a free port. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder maxRequestBytes(long bytes) {
      this.maxRequestBytes = bytes;
      return this;
    }

    public Builder check(String name, HealthCheck check) {
      checks.put(name, check);
      return this;
    }

    /** The service's own routes. */
    public Builder routes(Consumer<Javalin> routes) {
      this.routes = routes;
      return this;
    }

    public OpsServer build() {
      return new OpsServer(this);
    }
  }
}
