package dev.quorum.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One chaos run: the pipeline as processes, the seeded load through the gateway and a direct producer,
 * the seeded faults while it publishes, then the verification. Prints a progress line every few
 * seconds and the summary line at the end.
 */
public final class ChaosRun {
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  private ChaosRun() {}

  /** {@code chaos.size}, {@code chaos.seed} and the other {@code chaos.*} properties; exit 1 unless the summary holds. */
  public static void main(String[] args) throws Exception {
    Summary summary = run(ChaosSettings.from(System.getProperties()), Files.createTempDirectory("quorum-chaos-"));
    System.exit(summary.violations().isEmpty() ? 0 : 1);
  }

  public static Summary run(ChaosSettings settings, Path dir) {
    long begin = System.nanoTime();
    LoadPlan plan = LoadPlan.draw(settings);
    progress("seed=%d size=%s: %d events (%d redeliveries, %d poison) over %d incidents in %d rounds at %d/s; logs in %s",
        settings.seed(), settings.size(), plan.newEvents, plan.redeliveries, plan.poison, settings.incidents(), plan.rounds.size(),
        settings.rate(), dir);
    try (Pipeline pipeline = new Pipeline(settings, dir)) {
      pipeline.start();
      progress("pipeline up in %d s: broker %s, PostgreSQL %d, gateway %s, projection %s, writers %s; OC001 on %d of %d migration transactions",
          (System.nanoTime() - begin) / 1_000_000_000, pipeline.kafka.bootstrapServers(), pipeline.postgres.port(),
          pipeline.gatewayUrl, pipeline.projectionUrl, pipeline.writers().stream().map(Service::name).toList(),
          pipeline.ddlConflicts, pipeline.ddlDecisions);
      LoadGenerator load = new LoadGenerator(plan, settings, pipeline.gatewayUrl, pipeline.token, pipeline.kafka.bootstrapServers());
      FaultPlan faults = new FaultPlan(settings, pipeline.writers().size());
      faults.faults.forEach(f -> progress("planned fault at %.0f%%: %s", f.at() * 100, f.describe(pipeline)));

      AtomicBoolean running = new AtomicBoolean(true);
      Thread ticker = Thread.ofPlatform().daemon().name("chaos-progress").start(() -> {
        while (running.get()) {
          try {
            Thread.sleep(PROGRESS_EVERY);
          } catch (InterruptedException e) {
            return;
          }
          progress("%3d%% acknowledged=%d publications=%d gateway_resends=%d direct_resends=%d faults=%d/%d",
              Math.round(load.progress() * 100), load.acknowledged.size(), load.publications.get(), load.gatewayRetries.get(),
              load.directRetries.get(), faults.done.size(), faults.faults.size());
        }
      });
      Thread loader = Thread.ofPlatform().name("chaos-load").start(load::run);
      Thread injector = Thread.ofPlatform().name("chaos-faults").start(() -> faults.run(pipeline, load::progress));
      Duration budget = Duration.ofSeconds(settings.events() / settings.rate() * 4L + 600);
      join(loader, budget);
      join(injector, Duration.ofMinutes(5));
      if (loader.isAlive() || injector.isAlive()) {
        load.stop();
        progress("the load or the faults did not finish within %s; verifying what there is", budget);
      }
      progress("load done in %d s; waiting for both writer groups", (System.nanoTime() - begin) / 1_000_000_000);
      Verifier verifier = new Verifier(pipeline);
      verifier.awaitWritersCaughtUp(Duration.ofMinutes(5));
      running.set(false);
      ticker.interrupt();
      progress("writers caught up; verifying");
      Summary summary = verifier.verify(load, plan, faults, begin);
      if (faults.done.size() != faults.faults.size()) {
        progress("only %d of %d faults ran", faults.done.size(), faults.faults.size());
      }
      progress("%s", summary.details());
      summary.violations().forEach(v -> progress("VIOLATION: %s", v));
      System.out.println(summary.line());
      return summary;
    }
  }

  private static void join(Thread thread, Duration timeout) {
    try {
      thread.join(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A plain progress line (no carriage returns), flushed at once. */
  static void progress(String format, Object... args) {
    System.out.println("chaos " + TIME.format(LocalTime.now()) + " " + format.formatted(args));
    System.out.flush();
  }
}
