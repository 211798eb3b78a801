package dev.quorum.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import java.util.function.DoubleSupplier;

/**
 * The faults of a run, drawn from the seed: each at a point of the load's progress (a share of its
 * records acknowledged), so that it falls while the load publishes whatever the machine's speed. They
 * run one after the other on one thread, which also restarts a service that exited by itself.
 */
final class FaultPlan {

  enum Kind { WRITER_KILL, GATEWAY_KILL, PROJECTION_KILL, BROKER_RESTART, POSTGRES_RESTART }

  /**
   * @param writer which writer instance, for {@link Kind#WRITER_KILL} (index into {@link Pipeline#writers()})
   * @param pause how long a killed writer stays dead before its restart
   */
  record Fault(Kind kind, double at, int writer, Duration pause) {
    String describe(Pipeline pipeline) {
      return switch (kind) {
        case WRITER_KILL -> "SIGKILL " + pipeline.writers().get(writer).name() + ", restart after " + pause.toMillis() + " ms";
        case GATEWAY_KILL -> "SIGKILL gateway, restart";
        case PROJECTION_KILL -> "SIGKILL projection, restart";
        case BROKER_RESTART -> "SIGKILL Kafka broker, down " + pause.toSeconds() + " s, restart";
        case POSTGRES_RESTART -> "SIGKILL PostgreSQL, down " + pause.toSeconds() + " s, restart";
      };
    }
  }

  final List<Fault> faults = new ArrayList<>();
  final List<String> done = new java.util.concurrent.CopyOnWriteArrayList<>();

  FaultPlan(ChaosSettings s, int writers) {
    Random random = new Random(s.seed() ^ 0x5DEECE66DL);
    List<Kind> kinds = new ArrayList<>();
    for (int i = 0; i < s.writerKills(); i++) kinds.add(Kind.WRITER_KILL);
    kinds.addAll(List.of(Kind.GATEWAY_KILL, Kind.PROJECTION_KILL, Kind.BROKER_RESTART, Kind.POSTGRES_RESTART));
    for (int i = 0; i < kinds.size(); i++) {
      Kind kind = kinds.get(i);
      // writers of group A are killed first in turn (both instances), group B's once
      int writer = kind == Kind.WRITER_KILL ? (i == 2 ? writers - 1 : i % (writers - 1)) : -1;
      Duration pause = switch (kind) {
        case WRITER_KILL -> Duration.ofMillis(random.nextInt(3_000));
        case BROKER_RESTART, POSTGRES_RESTART -> s.downtime();
        default -> Duration.ZERO;
      };
      faults.add(new Fault(kind, 0.05 + 0.8 * random.nextDouble(), writer, pause));
    }
    faults.sort(Comparator.comparingDouble(Fault::at));
  }

  /** Runs every fault when the load's progress reaches its point; meanwhile revives services that exited. */
  void run(Pipeline pipeline, DoubleSupplier progress) {
    for (Fault fault : faults) {
      while (progress.getAsDouble() < fault.at()) {
        reviveExited(pipeline);
        LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
      }
      long begin = System.nanoTime();
      ChaosRun.progress("fault at %.0f%%: %s", progress.getAsDouble() * 100, fault.describe(pipeline));
      inject(pipeline, fault);
      done.add(fault.kind().name());
      ChaosRun.progress("fault done in %d ms: %s", (System.nanoTime() - begin) / 1_000_000, fault.kind());
    }
  }

  static void reviveExited(Pipeline pipeline) {
    for (Service service : pipeline.services()) service.reviveIfExited();
  }

  private static void inject(Pipeline pipeline, Fault fault) {
    switch (fault.kind()) {
      case WRITER_KILL -> {
        Service writer = pipeline.writers().get(fault.writer());
        writer.kill();
        downtime(fault.pause());
        writer.start();
      }
      case GATEWAY_KILL -> {
        pipeline.gateway.kill();
        pipeline.gateway.start();
      }
      case PROJECTION_KILL -> {
        pipeline.projection.kill();
        pipeline.projection.start();
      }
      case BROKER_RESTART -> {
        pipeline.kafka.kill();
        downtime(fault.pause());
        pipeline.kafka.start();
      }
      case POSTGRES_RESTART -> {
        pipeline.postgres.kill();
        downtime(fault.pause());
        pipeline.postgres.start();
      }
    }
  }

  /** Deliberate downtime: the one place the suite sleeps instead of waiting for a condition. */
  private static void downtime(Duration pause) {
    try {
      Thread.sleep(pause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
