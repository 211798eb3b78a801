package dev.quorum.ingest.config;

import dev.quorum.ingest.http.Delivery;
import dev.quorum.ingest.http.GatewayMetrics;
import dev.quorum.ingest.http.GatewayRoutes;
import dev.quorum.ingest.kafka.KafkaBindingStore;
import dev.quorum.ingest.kafka.KafkaReadiness;
import dev.quorum.ingest.kafka.QuorumPublisher;
import dev.quorum.ingest.slack.ChannelBindings;
import dev.quorum.ingest.slack.SlackSignature;
import dev.quorum.kit.http.BearerAuth;
import dev.quorum.kit.http.OpsServer;
import dev.quorum.kit.lifecycle.Service;
import dev.quorum.kit.metrics.Registries;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway: the producer, the HTTP server with its routes, readiness and metrics, wired from
 * one {@link GatewayConfig}; {@link #start()} returns once it listens, {@link #close()} stops it in reverse order.
 */
public final class Gateway implements Service {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final OpsServer server;
  private final PrometheusMeterRegistry registry;
  private boolean closed;

  public Gateway(GatewayConfig config, Clock clock) {
    try {
      registry = Registries.prometheus("ingest-gateway");
      Producer<String, byte[]> producer = new KafkaProducer<>(config.publisher().producerProperties());
      QuorumPublisher publisher = new QuorumPublisher(producer, config.publisher().topic());
      resources.add(publisher);
      KafkaClientMetrics producerMetrics = new KafkaClientMetrics(producer);
      producerMetrics.bindTo(registry);
      resources.add(producerMetrics);
      KafkaReadiness readiness = new KafkaReadiness(config.publisher().producerProperties(), config.readinessTimeout(), clock);
      resources.add(readiness);
      ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
      resources.add(senders::shutdownNow);

      GatewayMetrics metrics = new GatewayMetrics(registry);
      Delivery delivery = new Delivery(publisher, config.ackTimeout(), config.retryAfter(),
          Delivery.breaker(config.breakerFailures(), config.breakerWait()), metrics, senders);
      ChannelBindings bindings = bindings(config).withStatic(config.slackBindings());
      resources.add(bindings);
      SlackSignature signature = config.slackEnabled() ? new SlackSignature(config.slackSigningSecret(), config.slackMaxSkew()) : null;
      BearerAuth auth = config.auth();
      if (auth.isEmpty()) LOG.warn("{} lists no client: only Slack can publish", GatewayConfig.CLIENTS.name());
      GatewayRoutes routes = new GatewayRoutes(new GatewayRoutes.Settings(config.maxBatch(), signature, config.slackReplyBudget()),
          auth, delivery, bindings, metrics, clock);
      server = OpsServer.builder(registry)
          .host(config.host())
          .port(config.port())
          .maxRequestBytes(config.maxBodyBytes())
          .maxRequestBytes(GatewayRoutes.ALERTMANAGER_PATH, config.alertmanagerMaxBodyBytes())
          .opsPort(config.opsHost(), config.opsPort())
          .auth(auth)
          .check("kafka", readiness)
          .routes(routes::register)
          .opsRoutes(routes::registerOps)
          .build();
      resources.add(server);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Slack's bindings: a file for one gateway, the shared topic for replicas, nothing without Slack. */
  private static ChannelBindings bindings(GatewayConfig config) {
    if (config.slackBindingsFile() != null) return ChannelBindings.persistedIn(config.slackBindingsFile());
    if (!config.slackEnabled()) return ChannelBindings.inMemory();
    // a bind or a lookup must leave room in Slack's 3 s for the command itself
    return ChannelBindings.in(new KafkaBindingStore(config.publisher().producerProperties(), config.slackBindingsTopic(),
        config.slackReplyBudget().dividedBy(3)));
  }

  /** Starts listening; returns once the port is bound. */
  @Override
  public Gateway start() {
    server.start();
    return this;
  }

  public int port() {
    return server.port();
  }

  public String baseUrl() {
    return server.baseUrl();
  }

  /** Where /metrics, /healthz, /readyz and /openapi.json are served (not on the public port). */
  public String opsUrl() {
    return server.opsUrl();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Stops taking requests, then flushes and closes the producer. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        LOG.warn("closing {} failed: {}", resources.get(i), e.toString());
      }
    }
  }
}
