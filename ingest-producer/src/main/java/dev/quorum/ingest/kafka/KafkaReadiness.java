package dev.quorum.ingest.kafka;

import dev.quorum.kit.http.HealthCheck;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Readiness of the Kafka side: the cluster answers a metadata request within a timeout. The answer is
 * kept for a few seconds, so that frequent probes do not become a load of their own.
 */
public final class KafkaReadiness implements HealthCheck, AutoCloseable {
  private static final Duration CACHE = Duration.ofSeconds(2);

  private final Admin admin;
  private final Duration timeout;
  private final Clock clock;
  private Result last;
  private Instant checkedAt = Instant.MIN;

  /**
   * @param clientProperties the producer's connection and security properties (the same cluster, the same credentials)
   */
  public KafkaReadiness(Properties clientProperties, Duration timeout, Clock clock) {
    Properties p = new Properties();
    for (String name : clientProperties.stringPropertyNames()) {
      if (AdminClientConfig.configNames().contains(name)) p.setProperty(name, clientProperties.getProperty(name));
    }
    p.setProperty(AdminClientConfig.CLIENT_ID_CONFIG, p.getProperty(AdminClientConfig.CLIENT_ID_CONFIG, "quorum") + "-readiness");
    p.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
    p.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
    this.admin = Admin.create(p);
    this.timeout = timeout;
    this.clock = clock;
  }

  @Override
  public synchronized Result check() {
    Instant now = clock.instant();
    if (last != null && now.isBefore(checkedAt.plus(CACHE))) return last;
    try {
      int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
          .nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
      last = nodes > 0 ? Result.up(nodes + " broker(s) answer") : Result.down("the cluster reports no brokers");
    } catch (ExecutionException | TimeoutException e) {
      last = Result.down("Kafka does not answer: " + (e instanceof ExecutionException ? e.getCause() : e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      last = Result.down("interrupted");
    }
    checkedAt = now;
    return last;
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
