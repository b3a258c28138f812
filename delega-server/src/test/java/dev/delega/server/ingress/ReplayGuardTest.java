package dev.delega.server.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.server.ingress.IngressSignature.Invalid;
import dev.delega.server.ingress.IngressSignature.Reason;
import dev.delega.server.ingress.IngressSignature.Valid;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ReplayGuardTest {
  private static final long NOW = 1_700_000_000L;
  private final FakeClock clock = new FakeClock(Instant.ofEpochSecond(NOW));

  @Test
  void sameSignatureTwiceWithinToleranceIsAReplay() {
    ReplayGuard guard = new ReplayGuard(clock);
    assertThat(guard.firstSeen("7:abc", NOW)).isTrue();
    assertThat(guard.firstSeen("7:abc", NOW)).isFalse();
    clock.advance(Duration.ofSeconds(299));
    assertThat(guard.firstSeen("7:abc", NOW)).isFalse();
    assertThat(guard.firstSeen("7:def", NOW)).isTrue();
  }

  @Test
  void entriesExpireWhenTheirTimestampLeavesTheTolerance() {
    ReplayGuard guard = new ReplayGuard(clock);
    guard.firstSeen("old", NOW - 200);   // expires at NOW + 100
    guard.firstSeen("future", NOW + 200); // expires at NOW + 500
    assertThat(guard.size()).isEqualTo(2);
    clock.advance(Duration.ofSeconds(101));
    assertThat(guard.size()).isEqualTo(1);
    assertThat(guard.firstSeen("future", NOW + 200)).isFalse(); // still inside its tolerance
    clock.advance(Duration.ofSeconds(400));
    assertThat(guard.size()).isZero();
  }

  @Test
  void alreadyStaleTimestampsAreNotRemembered() {
    ReplayGuard guard = new ReplayGuard(clock);
    assertThat(guard.firstSeen("k", NOW - 301)).isTrue();
    assertThat(guard.size()).isZero();
  }

  @Test
  void memoryIsBoundedByDroppingTheEntryClosestToExpiry() {
    ReplayGuard guard = new ReplayGuard(clock, Duration.ofSeconds(300), 3);
    guard.firstSeen("b", NOW - 10);
    guard.firstSeen("a", NOW - 50);
    guard.firstSeen("c", NOW);
    guard.firstSeen("d", NOW + 5);
    assertThat(guard.size()).isEqualTo(3);
    assertThat(guard.firstSeen("a", NOW - 50)).isTrue(); // was evicted
    assertThat(guard.firstSeen("d", NOW + 5)).isFalse();
    assertThat(guard.firstSeen("c", NOW)).isFalse();
  }

  @Test
  void checkTurnsASecondValidIntoReplayedPerScope() {
    ReplayGuard guard = new ReplayGuard(clock);
    Valid v = new Valid(NOW, "ab".repeat(32));
    assertThat(guard.check("source-1", v)).isEqualTo(v);
    assertThat(guard.check("source-1", v))
        .isInstanceOfSatisfying(Invalid.class, i -> assertThat(i.reason()).isEqualTo(
            Reason.REPLAYED));
    assertThat(guard.check("source-2", v)).isEqualTo(v);
    Invalid mismatch = new Invalid(Reason.MISMATCH, "x");
    assertThat(guard.check("source-1", mismatch)).isSameAs(mismatch);
  }

  @Test
  void racingThreadsAcceptASignatureExactlyOnce() throws Exception {
    ReplayGuard guard = new ReplayGuard(clock);
    int threads = 16;
    int keys = 200;
    CountDownLatch start = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        results.add(pool.submit(() -> {
          start.await();
          int accepted = 0;
          for (int k = 0; k < keys; k++) {
            if (guard.firstSeen("key-" + k, NOW)) {
              accepted++;
            }
          }
          return accepted;
        }));
      }
      start.countDown();
      int total = 0;
      for (Future<Integer> f : results) {
        total += f.get();
      }
      assertThat(total).isEqualTo(keys);
    }
  }
}
