package dev.delega.server.automation;

import dev.delega.server.Features;
import dev.delega.server.ingress.IngressSources;
import dev.delega.server.recurrence.RecurrenceScheduler;
import dev.delega.server.recurrence.Recurrences;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plugs automations, signed ingress sources and recurring tasks into the server: their routes, the
 * worker that runs automations after each committed event, and the scheduler that spawns due
 * recurrence occurrences.
 */
public final class AutomationFeature {
  private static final Logger LOG = LoggerFactory.getLogger(AutomationFeature.class);

  /**
   * How often the recurrence scheduler looks for due occurrences, in milliseconds (default 1000).
   * Read from the process environment because {@code ServerConfig} does not carry it yet.
   */
  public static final String SCHEDULER_INTERVAL_ENV = "DELEGA_SCHEDULER_INTERVAL_MS";

  static final Duration DEFAULT_SCHEDULER_INTERVAL = Duration.ofSeconds(1);

  /** Run logs of automations, and dedupe keys of ingress tasks that are done, are kept this long. */
  static final Duration RUN_LOG_RETENTION = Duration.ofDays(30);

  private AutomationFeature() {}

  /** Registers the routes and starts the automation worker and the recurrence scheduler. */
  public static void install(Features f) {
    install(f, schedulerInterval(System.getenv(SCHEDULER_INTERVAL_ENV)));
  }

  static void install(Features f, Duration schedulerInterval) {
    Clock clock = f.clock();
    LoopGuard guard = new LoopGuard(clock);
    Automations automations = new Automations(f.database(), clock, guard);
    IngressSources ingress = new IngressSources(f.database(), f.tasks(), clock);
    Recurrences recurrences = new Recurrences(f.database(), clock, f.config().timezone());
    f.routes()
        .accept(
            api -> {
              automations.register(api);
              ingress.register(api);
              recurrences.register(api);
            });

    ExecutorService worker =
        Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("delega-automations").daemon(true).factory());
    AutomationRunner runner = new AutomationRunner(f.database(), f.tasks(), clock, guard, worker);
    f.events().onAppend(runner::onEvent);

    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("delega-scheduler").daemon(true).factory());
    RecurrenceScheduler scheduler = new RecurrenceScheduler(f.database(), f.tasks(), clock);
    scheduler.start(timer, schedulerInterval);
    timer.scheduleWithFixedDelay(
        () -> housekeeping(f, ingress, clock), 1, 60, TimeUnit.SECONDS);

    f.closeOnShutdown().accept(runner);
    f.closeOnShutdown()
        .accept(
            () -> {
              scheduler.close();
              timer.shutdownNow();
              timer.awaitTermination(10, TimeUnit.SECONDS);
            });
    f.health().register("scheduler", scheduler::health);
    f.health().register("automations", runner::health);
  }

  private static void housekeeping(Features f, IngressSources ingress, Clock clock) {
    try {
      ingress.purgeExpiredSignatures();
      ingress.purgeStaleDedupeKeys(RUN_LOG_RETENTION);
      long cutoff = clock.instant().minus(RUN_LOG_RETENTION).toEpochMilli();
      f.database()
          .write(
              tx -> tx.handle()
                  .createUpdate("DELETE FROM automation_runs WHERE created_at < ?")
                  .bind(0, cutoff)
                  .execute());
    } catch (RuntimeException e) {
      LOG.warn("automation housekeeping failed: {}", e.getMessage());
    }
  }

  /** Parses {@value #SCHEDULER_INTERVAL_ENV}; a bad value refuses to start, naming it. */
  static Duration schedulerInterval(String raw) {
    if (raw == null || raw.isBlank()) {
      return DEFAULT_SCHEDULER_INTERVAL;
    }
    try {
      long ms = Long.parseLong(raw.trim());
      if (ms < 10 || ms > 3_600_000) {
        throw new IllegalArgumentException(
            SCHEDULER_INTERVAL_ENV + " must be between 10 and 3600000, not " + ms);
      }
      return Duration.of(ms, ChronoUnit.MILLIS);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          SCHEDULER_INTERVAL_ENV + " must be a whole number of milliseconds, not '" + raw + "'");
    }
  }
}
