package dev.quorum.chaos;

import dev.quorum.kit.http.TokenHasher;
import dev.quorum.stack.Loopback;
import dev.quorum.stack.kafka.KafkaTestClients;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The services' configurations as the suites start them, through their public keys only, with Kafka's slow
 * defaults lowered: shared by the one-region pipeline and the two regions.
 */
final class ServiceConfigs {
  private ServiceConfigs() {}

  /** A writer instance of {@code group} on {@code bootstrap}, storing through {@code jdbcUrl}. */
  static Map<String, String> writer(String bootstrap, String jdbcUrl, String user, String password, String group, int instance,
      String actions, String committed, String dlq, int port) {
    Map<String, String> w = kafkaClient(common(bootstrap));
    w.put("writer.group.id", group);
    w.put("writer.instance.id", Integer.toString(instance));
    w.put("writer.topic.actions", actions);
    w.put("writer.topic.committed", committed);
    w.put("writer.topic.dlq", dlq);
    w.put("writer.batch.max.wait", "20ms");
    w.put("writer.poll.timeout", "100ms");
    w.put("writer.kafka.transaction.timeout", KafkaTestClients.TRANSACTION_TIMEOUT_MS + "ms");
    w.put("writer.unavailable.backoff.initial", "200ms");
    w.put("writer.unavailable.backoff.max", "1s");
    w.put("writer.http.host", Loopback.HOST);
    w.put("writer.http.port", Integer.toString(port));
    w.put("db.url", jdbcUrl);
    w.put("db.username", user);
    w.put("db.password", password == null ? "" : password);
    w.put("db.pool.size", "2");
    w.put("db.connect.timeout", "2s");
    // at a 15 % conflict rate, 20 attempts give up once in 3e16 transactions
    w.put("db.retry.max.attempts", "20");
    w.put("db.retry.initial.backoff", "5ms");
    w.put("db.retry.max.backoff", "200ms");
    return w;
  }

  /** A gateway on {@code port}, its probes on {@code opsPort}. */
  static Map<String, String> gateway(String bootstrap, int port, int opsPort, String clients) {
    Map<String, String> gw = common(bootstrap);
    // the gateway's producer timeouts are typed keys (gateway.kafka.*), short by default
    for (String key : List.of("metadata.max.age.ms", "reconnect.backoff.max.ms", "retry.backoff.max.ms")) {
      gw.put("kafka.client." + key, clientTimeouts().get(key));
    }
    gw.put("gateway.http.host", Loopback.HOST);
    gw.put("gateway.http.port", Integer.toString(port));
    gw.put("gateway.ops.host", Loopback.HOST);
    gw.put("gateway.ops.port", Integer.toString(opsPort));
    gw.put("gateway.clients", clients);
    gw.put("gateway.events.batch.max", "500");
    return gw;
  }

  /** A projection folding {@code committed} on {@code port}, its stores in {@code stateDir}. */
  static Map<String, String> projection(String bootstrap, String applicationId, String committed, int port, String clients,
      Path stateDir) {
    Map<String, String> pr = common(bootstrap);
    pr.put("projection.application.id", applicationId);
    pr.put("projection.topic.committed", committed);
    pr.put("projection.http.host", Loopback.HOST);
    pr.put("projection.http.port", Integer.toString(port));
    pr.put("projection.http.advertised", Loopback.HOST + ":" + port);
    pr.put("projection.http.clients", clients);
    pr.put("projection.state.dir", stateDir.toString());
    clientTimeouts().forEach((key, value) -> pr.put("projection.streams." + key, value));
    pr.put("projection.streams.producer.transaction.timeout.ms", Integer.toString(KafkaTestClients.TRANSACTION_TIMEOUT_MS));
    return pr;
  }

  /** One client for the gateways and the projections: publishes on behalf of responders, reads the views. */
  static String clients(String token, String source, String extraScopes) {
    return "chaos:" + TokenHasher.hash(token, null) + ";source=" + source
        + ";actor=integration:chaos;scopes=publish+read+act-on-behalf" + extraScopes;
  }

  private static Map<String, String> common(String bootstrap) {
    Map<String, String> c = new HashMap<>();
    c.put("kafka.bootstrap.servers", bootstrap);
    return c;
  }

  /** Kafka's slow defaults lowered per FACTS: a killed member or a dangling transaction costs seconds, not minutes. */
  private static Map<String, String> kafkaClient(Map<String, String> config) {
    clientTimeouts().forEach((key, value) -> config.put("kafka.client." + key, value));
    return config;
  }

  private static Map<String, String> clientTimeouts() {
    Map<String, String> t = new HashMap<>();
    t.put("session.timeout.ms", Integer.toString(KafkaTestClients.SESSION_TIMEOUT_MS));
    t.put("heartbeat.interval.ms", Integer.toString(KafkaTestClients.HEARTBEAT_INTERVAL_MS));
    t.put("max.poll.interval.ms", Integer.toString(KafkaTestClients.MAX_POLL_INTERVAL_MS));
    t.put("request.timeout.ms", Integer.toString(KafkaTestClients.REQUEST_TIMEOUT_MS));
    t.put("default.api.timeout.ms", Integer.toString(KafkaTestClients.DEFAULT_API_TIMEOUT_MS));
    t.put("max.block.ms", Integer.toString(KafkaTestClients.MAX_BLOCK_MS));
    t.put("delivery.timeout.ms", Integer.toString(KafkaTestClients.DELIVERY_TIMEOUT_MS));
    t.put("metadata.max.age.ms", "5000");
    t.put("reconnect.backoff.max.ms", "1000");
    t.put("retry.backoff.max.ms", "1000");
    return t;
  }
}
