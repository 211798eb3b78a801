package dev.quorum.projection.testing;

import dev.quorum.projection.config.ProjectionConfig;
import dev.quorum.projection.config.ProjectionService;
import dev.quorum.kit.http.BearerAuth;
import dev.quorum.projection.kafka.ProjectionTopology.TopicNames;
import dev.quorum.stack.KafkaBroker;
import dev.quorum.stack.PostgresDatabase;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Starts projection instances on the real broker and database, with test-sized timeouts and state under target/. */
public final class TestProjection {
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private TestProjection() {}

  /** Unique topic names for one test class, so classes sharing the broker never see each other's records. */
  public static TopicNames topics(String prefix) {
    return new TopicNames(prefix + ".committed", prefix + ".rebuild", prefix + ".incidents");
  }

  public static Map<String, String> settings(KafkaBroker broker, PostgresDatabase database, String applicationId, TopicNames topics) {
    Map<String, String> settings = new HashMap<>();
    settings.put("kafka.bootstrap.servers", broker.bootstrapServers());
    settings.put("projection.application.id", applicationId);
    settings.put("projection.topic.committed", topics.committed());
    settings.put("projection.topic.rebuild", topics.rebuild());
    settings.put("projection.topic.incidents", topics.incidents());
    settings.put("projection.topics.partitions", "4");
    // A fresh directory per instance and run: state left by an earlier run belongs to an earlier broker.
    settings.put("projection.state.dir", Path.of("target", "it-state",
        applicationId + "-" + ProcessHandle.current().pid() + "-" + INSTANCES.incrementAndGet()).toAbsolutePath().toString());
    settings.put("projection.http.host", "127.0.0.1");
    settings.put("projection.http.port", "0");
    settings.put("projection.http.advertised", "127.0.0.1:0");
    settings.put("projection.http.clients", "test:" + BearerAuth.hash(Api.TOKEN));
    if (database != null) {
      settings.put("db.url", database.jdbcUrl());
      settings.put("db.username", database.username());
      settings.put("db.password", database.password());
    }
    settings.put("projection.streams.consumer.session.timeout.ms", "6000");
    settings.put("projection.streams.consumer.heartbeat.interval.ms", "1000");
    settings.put("projection.streams.producer.transaction.timeout.ms", "10000");
    return settings;
  }

  public static ProjectionService start(Map<String, String> settings) {
    return new ProjectionService(ProjectionConfig.parse(settings)).start();
  }
}
