package dev.delega.server.context;

import dev.delega.server.Features;
import java.time.Duration;

/** Plugs task memory (context provenance and history, recall, links, idempotency) into the server. */
public final class MemoryFeature {
  /** How long a request waits for a concurrent request with the same Idempotency-Key to finish. */
  static final Duration IDEMPOTENCY_WAIT = Duration.ofSeconds(10);

  private MemoryFeature() {}

  /** Registers routes and the Idempotency-Key filters. */
  public static void install(Features features) {
    Recall recall = new Recall(features.database());
    Links links = new Links(features.database(), features.tasks(), features.clock());
    features.routes().accept(api -> new MemoryRoutes(features.context(), recall, links).register(api));
    IdempotencyFilter idempotency =
        new IdempotencyFilter(
            new IdempotencyKeys(features.database(), features.clock()), features.database(), IDEMPOTENCY_WAIT);
    features.javalin().accept(
        cfg -> {
          cfg.routes.before(idempotency::before);
          cfg.routes.after(idempotency::after);
        });
  }
}
