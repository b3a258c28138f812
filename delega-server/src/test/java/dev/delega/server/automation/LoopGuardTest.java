package dev.delega.server.automation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.delega.server.automation.LoopGuard.Admitted;
import dev.delega.server.automation.LoopGuard.Decision;
import dev.delega.server.automation.LoopGuard.Reason;
import dev.delega.server.automation.LoopGuard.Refused;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LoopGuardTest {
  private final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final LoopGuard guard = new LoopGuard(clock);

  private static void assertRefused(Decision d, Reason reason) {
    assertThat(d).isInstanceOfSatisfying(Refused.class, r -> {
      assertThat(r.reason()).isEqualTo(reason);
      assertThat(r.message()).isNotBlank();
    });
  }

  @ParameterizedTest(name = "event depth {0} -> {1}")
  @CsvSource({"0, 1", "1, 2", "2, 3", "3, refused", "7, refused"})
  void chainDepthIsCappedAtThree(int eventDepth, String expected) {
    Decision d = guard.admit(1, eventDepth);
    if (expected.equals("refused")) {
      assertRefused(d, Reason.CHAIN_TOO_DEEP); // the run would be depth 4 or more
    } else {
      assertThat(d).isEqualTo(new Admitted(Integer.parseInt(expected)));
    }
  }

  @Test
  void negativeDepthIsABug() {
    assertThatThrownBy(() -> guard.admit(1, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sixtyFirstRunInAMinuteIsRefused() {
    for (int i = 0; i < 60; i++) {
      assertThat(guard.admit(5, 0)).as("run %d", i + 1).isInstanceOf(Admitted.class);
      clock.advance(Duration.ofMillis(900));
    }
    // 60 runs in 54 s: the 61st, still inside the minute of the first, is refused
    assertRefused(guard.admit(5, 0), Reason.RATE_LIMITED);
    // other automations have their own budget
    assertThat(guard.admit(6, 0)).isInstanceOf(Admitted.class);
    // the window slides: once the first run is 60 s old, one more run is allowed, not 60
    clock.set(Instant.parse("2026-01-01T00:01:00Z"));
    assertThat(guard.admit(5, 0)).isInstanceOf(Admitted.class);
    assertRefused(guard.admit(5, 0), Reason.RATE_LIMITED);
    clock.advance(Duration.ofMillis(900));
    assertThat(guard.admit(5, 0)).isInstanceOf(Admitted.class);
    assertRefused(guard.admit(5, 0), Reason.RATE_LIMITED);
  }

  @Test
  void aRunExactlySixtySecondsOldNoLongerCounts() {
    for (int i = 0; i < 60; i++) {
      guard.admit(5, 0);
    }
    clock.advance(Duration.ofMillis(59_999));
    assertRefused(guard.admit(5, 0), Reason.RATE_LIMITED);
    clock.advance(Duration.ofMillis(1));
    for (int i = 0; i < 60; i++) {
      assertThat(guard.admit(5, 0)).isInstanceOf(Admitted.class);
    }
    assertRefused(guard.admit(5, 0), Reason.RATE_LIMITED);
  }

  @Test
  void refusedRunsUseNoBudget() {
    for (int i = 0; i < 100; i++) {
      assertRefused(guard.admit(5, 3), Reason.CHAIN_TOO_DEEP);
    }
    for (int i = 0; i < 60; i++) {
      assertThat(guard.admit(5, 0)).isInstanceOf(Admitted.class);
    }
    for (int i = 0; i < 10; i++) {
      assertRefused(guard.admit(5, 0), Reason.RATE_LIMITED);
    }
    clock.advance(Duration.ofSeconds(60));
    assertThat(guard.admit(5, 0)).isInstanceOf(Admitted.class);
  }

  @Test
  void idleAndForgottenAutomationsAreDropped() {
    guard.admit(1, 0);
    guard.admit(2, 0);
    assertThat(guard.tracked()).isEqualTo(2);
    guard.forget(1);
    assertThat(guard.tracked()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(61));
    assertThat(guard.tracked()).isZero();
  }

  @Test
  void racingThreadsAdmitExactlySixty() throws Exception {
    int threads = 32;
    CountDownLatch start = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        results.add(pool.submit(() -> {
          start.await();
          int admitted = 0;
          for (int i = 0; i < 50; i++) {
            if (guard.admit(9, 0) instanceof Admitted) {
              admitted++;
            }
          }
          return admitted;
        }));
      }
      start.countDown();
      int total = 0;
      for (Future<Integer> f : results) {
        total += f.get();
      }
      assertThat(total).isEqualTo(LoopGuard.MAX_RUNS_PER_MINUTE);
    }
  }
}
