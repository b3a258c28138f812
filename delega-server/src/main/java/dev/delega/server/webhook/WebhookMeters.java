package dev.delega.server.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The delivery meters: {@code delega.webhook.lag} (event committed → receiver answered 2xx) and
 * {@code delega.webhook.failures{outcome=retry|gave_up}} (failed attempts, by what follows them).
 */
final class WebhookMeters {
  private final Timer lag;
  private final Counter retry;
  private final Counter gaveUp;

  WebhookMeters(MeterRegistry registry) {
    this.lag =
        Timer.builder("delega.webhook.lag")
            .description("from an event's commit to its delivery's 2xx answer")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofHours(1))
            .register(registry);
    this.retry = failures(registry, "retry");
    this.gaveUp = failures(registry, "gave_up");
  }

  /** Meters nobody reads, for parts built outside the server (tests). */
  static WebhookMeters unregistered() {
    return new WebhookMeters(new SimpleMeterRegistry());
  }

  private static Counter failures(MeterRegistry registry, String outcome) {
    return Counter.builder("delega.webhook.failures")
        .description("failed delivery attempts: retry (another attempt is scheduled) or gave_up (none is)")
        .tag("outcome", outcome)
        .register(registry);
  }

  void delivered(long lagMillis) {
    lag.record(Math.max(0, lagMillis), TimeUnit.MILLISECONDS);
  }

  void failed(Outcome outcome) {
    switch (outcome) {
      case Outcome.Retry r -> retry.increment();
      case Outcome.GaveUp g -> gaveUp.increment();
      default -> {}
    }
  }
}
