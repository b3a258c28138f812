package dev.delega.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.server.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The token buckets behind 429: allowance, refill, separate tiers and callers, and the advertised waits. */
class RateLimiterTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-11T12:00:00Z"));
  private final RateLimiter limiter = new RateLimiter(clock, 6, 3);

  @Test
  void aFullMinuteOfAllowanceThenRefusal() {
    for (int i = 0; i < 6; i++) {
      RateLimiter.Decision d = limiter.acquire("agent:1", false);
      assertThat(d.allowed()).isTrue();
      assertThat(d.limit()).isEqualTo(6);
      assertThat(d.remaining()).isEqualTo(5 - i);
    }
    RateLimiter.Decision refused = limiter.acquire("agent:1", false);
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.remaining()).isZero();
    assertThat(refused.retryAfterSeconds()).isEqualTo(10);
    assertThat(refused.resetSeconds()).isEqualTo(60);
  }

  @Test
  void tokensComeBackContinuously() {
    for (int i = 0; i < 3; i++) {
      limiter.acquire("agent:1", true);
    }
    assertThat(limiter.acquire("agent:1", true).allowed()).isFalse();
    clock.advance(Duration.ofSeconds(19));
    assertThat(limiter.acquire("agent:1", true).allowed()).isFalse();
    clock.advance(Duration.ofSeconds(2));
    assertThat(limiter.acquire("agent:1", true).allowed()).isTrue();
    assertThat(limiter.acquire("agent:1", true).allowed()).isFalse();
    clock.advance(Duration.ofMinutes(5));
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.acquire("agent:1", true).allowed()).as("never more than a minute's allowance").isTrue();
    }
    assertThat(limiter.acquire("agent:1", true).allowed()).isFalse();
  }

  @Test
  void tiersAndCallersHaveTheirOwnBuckets() {
    for (int i = 0; i < 3; i++) {
      limiter.acquire("agent:1", true);
    }
    assertThat(limiter.acquire("agent:1", true).allowed()).isFalse();
    assertThat(limiter.acquire("agent:1", false).allowed()).isTrue();
    assertThat(limiter.acquire("agent:2", true).allowed()).isTrue();
    assertThat(limiter.acquire("ip:127.0.0.1", true).allowed()).isTrue();
  }

  @Test
  void refusedRequestsDoNotDeepenTheDebt() {
    for (int i = 0; i < 3; i++) {
      limiter.acquire("agent:1", true);
    }
    for (int i = 0; i < 100; i++) {
      assertThat(limiter.acquire("agent:1", true).allowed()).isFalse();
    }
    clock.advance(Duration.ofSeconds(21));
    assertThat(limiter.acquire("agent:1", true).allowed()).isTrue();
  }

  @Test
  void aLongIdleCallerStartsWithAFullAllowance() {
    for (int i = 0; i < 3; i++) {
      limiter.acquire("agent:1", true);
    }
    clock.advance(Duration.ofMinutes(3));
    limiter.acquire("agent:2", false);
    RateLimiter.Decision d = limiter.acquire("agent:1", true);
    assertThat(d.allowed()).isTrue();
    assertThat(d.remaining()).isEqualTo(2);
  }
}
