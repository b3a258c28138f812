package dev.delega.server.claim;

import dev.delega.server.store.Database;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gauge {@code delega.queue.depth{project}}: open, unclaimed, unblocked tasks per project
 * ({@code none} for tasks without one), counted with one grouped query at most every {@link
 * #EVERY} and served from that count in between, so scrapes never touch the database.
 */
final class QueueDepth {
  static final Duration EVERY = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(QueueDepth.class);

  private final Database db;
  private final Clock clock;
  private final MultiGauge gauge;
  private long nextAt = Long.MIN_VALUE;

  QueueDepth(Database db, Clock clock, MeterRegistry metrics) {
    this.db = db;
    this.clock = clock;
    this.gauge =
        MultiGauge.builder("delega.queue.depth")
            .description("open, unclaimed, unblocked tasks per project (refreshed every 5 s)")
            .register(metrics);
  }

  /** Counts again when the last count is {@link #EVERY} old (by the clock); never throws. */
  void tick() {
    long now = clock.millis();
    if (now < nextAt) {
      return;
    }
    nextAt = now + EVERY.toMillis();
    try {
      refresh();
    } catch (RuntimeException e) {
      LOG.warn("could not count the work queue; the gauge keeps its last value", e);
    }
  }

  void refresh() {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    db.read(
        h ->
            h.createQuery(
                    "SELECT t.project_id AS project, COUNT(*) AS n FROM tasks t WHERE "
                        + ClaimQueue.READY + " GROUP BY t.project_id")
                .map((rs, ctx) -> {
                  long project = rs.getLong("project");
                  String tag = rs.wasNull() ? "none" : Long.toString(project);
                  rows.add(MultiGauge.Row.of(Tags.of("project", tag), rs.getLong("n")));
                  return null;
                })
                .list());
    gauge.register(rows, true);
  }
}
