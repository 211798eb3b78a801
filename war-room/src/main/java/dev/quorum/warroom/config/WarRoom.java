package dev.quorum.warroom.config;

import dev.quorum.kit.http.BearerAuth;
import dev.quorum.kit.http.HealthCheck;
import dev.quorum.kit.http.OpsServer;
import dev.quorum.kit.lifecycle.Lifecycle;
import dev.quorum.kit.lifecycle.Service;
import dev.quorum.kit.metrics.Registries;
import dev.quorum.warroom.http.Assets;
import dev.quorum.warroom.http.Broadcaster;
import dev.quorum.warroom.http.SessionCookie;
import dev.quorum.warroom.http.Sessions;
import dev.quorum.warroom.http.Upstream;
import dev.quorum.warroom.http.WarRoomRoutes;
import dev.quorum.warroom.kafka.ChangeFeed;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running war room: the web server with its pages and routes, the sessions, the change feed from Kafka
 * and the live update streams, wired from one {@link WarRoomConfig}; {@link #start()} returns once it
 * listens, {@link #close()} stops it in reverse order.
 */
public final class WarRoom implements Service {
  private static final Logger LOG = LoggerFactory.getLogger(WarRoom.class);
  /** Sign-in and action bodies are small; the largest is a note (16 KiB of text). */
  static final long MAX_REQUEST_BYTES = 64 * 1024;

  /** What the war room holds open, closed in reverse order. */
  private final Lifecycle parts = new Lifecycle("war-room");
  private final OpsServer server;
  private final ChangeFeed feed;

  public WarRoom(WarRoomConfig config, Clock clock) {
    try {
      PrometheusMeterRegistry registry = Registries.prometheus("war-room");
      parts.add("metrics", registry::close);
      BearerAuth responders = config.auth();
      if (responders.isEmpty()) LOG.warn("{} lists no responder: nobody can sign in", WarRoomConfig.CLIENTS.name());
      Broadcaster broadcaster = new Broadcaster(config.maxStreams());
      parts.add("live update streams", broadcaster);
      Upstream upstream = new Upstream(config.queryUrl(), config.gatewayUrl(), config.upstreamTimeout());
      parts.add("query API and gateway client", upstream);
      feed = new ChangeFeed(config.bootstrapServers(), config.kafkaClient(), config.incidentsTopic(), config.committedTopic(),
          broadcaster::publish);
      parts.add("change feed", feed);
      WarRoomRoutes routes = new WarRoomRoutes(responders, new Sessions(clock, config.sessionIdle(), config.maxSessions()),
          new SessionCookie(config.secureCookies()), upstream, broadcaster, new Assets(), clock, registry);
      OpsServer.Builder builder = OpsServer.builder(registry)
          .host(config.host())
          .port(config.port());
      if (config.opsPort() >= 0) builder.opsPort(config.host(), config.opsPort());
      server = builder
          .maxRequestBytes(MAX_REQUEST_BYTES)
          .check("kafka", () -> feed.assigned() ? HealthCheck.Result.up("reading the incidents and committed topics")
              : HealthCheck.Result.down("the change feed has not found its topics yet"))
          .routes(routes::register)
          .build();
      parts.add("http", server);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Starts the change feed and the server; returns once the port is bound. */
  @Override
  public WarRoom start() {
    try {
      feed.start();
      server.start();
    } catch (RuntimeException e) {
      close(); // a port in use: the feed's thread must not outlive the failed start
      throw e;
    }
    return this;
  }

  public int port() {
    return server.port();
  }

  /** The port of /metrics, /healthz and /readyz: {@link #port()} unless warroom.ops.port gave them their own. */
  public int opsPort() {
    return server.opsPort();
  }

  public String baseUrl() {
    return server.baseUrl();
  }

  /** Stops taking requests, closes the streams and the feed. Idempotent. */
  @Override
  public void close() {
    parts.close();
  }
}
