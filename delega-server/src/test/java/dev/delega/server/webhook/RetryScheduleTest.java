package dev.delega.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RetryScheduleTest {

  /** Always draws the same {@code nextDouble()}, so the jitter is known. */
  static final class FixedRandom implements RandomGenerator {
    private final double value;

    FixedRandom(double value) {
      this.value = value;
    }

    @Override
    public double nextDouble() {
      return value;
    }

    @Override
    public long nextLong() {
      throw new UnsupportedOperationException("the schedule only draws doubles");
    }
  }

  private static final List<Duration> SPEC =
      List.of(
          Duration.ofSeconds(5),
          Duration.ofSeconds(30),
          Duration.ofMinutes(2),
          Duration.ofMinutes(10),
          Duration.ofMinutes(30),
          Duration.ofHours(1),
          Duration.ofHours(3),
          Duration.ofHours(6));

  @Test
  void scheduleAndConstantsAreTheSpecs() {
    assertThat(RetrySchedule.DELAYS).isEqualTo(SPEC);
    assertThat(RetrySchedule.AUTO_DISABLE_AFTER).isEqualTo(10);
    assertThat(RetrySchedule.RETENTION).isEqualTo(Duration.ofDays(30));
  }

  static Stream<Arguments> extremes() {
    return Stream.of(
        Arguments.of(0.0, 0.8), Arguments.of(0.5, 1.0), Arguments.of(Math.nextDown(1.0), 1.2));
  }

  @ParameterizedTest(name = "draw {0} -> x{1}")
  @MethodSource("extremes")
  void jitterSpansPlusMinusTwentyPercentOfEveryStep(double draw, double factor) {
    RetrySchedule schedule = new RetrySchedule(new FixedRandom(draw));
    for (int failed = 1; failed <= 8; failed++) {
      long nominal = SPEC.get(failed - 1).toMillis();

      Duration delay = schedule.delayAfter(failed, null).orElseThrow();

      assertThat(delay.toMillis()).isCloseTo(Math.round(nominal * factor), within(1));
    }
  }

  @Test
  void randomDrawsStayWithinTwentyPercentAndUseTheWholeRange() {
    RetrySchedule schedule = new RetrySchedule(new SplittableRandom(42));
    for (int failed = 1; failed <= 8; failed++) {
      long nominal = SPEC.get(failed - 1).toMillis();
      double min = Double.MAX_VALUE;
      double max = 0;
      for (int i = 0; i < 2_000; i++) {
        double ratio =
            (double) schedule.delayAfter(failed, null).orElseThrow().toMillis() / nominal;
        min = Math.min(min, ratio);
        max = Math.max(max, ratio);
      }
      assertThat(min).isBetween(0.8 - 1e-3, 0.82);
      assertThat(max).isBetween(1.18, 1.2 + 1e-3);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {9, 10, 11, 100, Integer.MAX_VALUE})
  void givesUpFromTheNinthFailedAttempt(int failed) {
    RetrySchedule schedule = new RetrySchedule(new FixedRandom(0.5));

    assertThat(schedule.delayAfter(failed, null)).isEmpty();
    assertThat(schedule.delayAfter(failed, Duration.ofMinutes(1))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1})
  void refusesAttemptCountsBelowOne(int failed) {
    RetrySchedule schedule = new RetrySchedule(new FixedRandom(0.5));

    assertThatThrownBy(() -> schedule.delayAfter(failed, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void longerRetryAfterWinsShorterIsIgnoredAndItIsCappedAtSixHours() {
    RetrySchedule schedule = new RetrySchedule(new FixedRandom(0.5));

    assertThat(schedule.delayAfter(1, Duration.ofSeconds(120))).contains(Duration.ofSeconds(120));
    assertThat(schedule.delayAfter(4, Duration.ofSeconds(60))).contains(Duration.ofMinutes(10));
    assertThat(schedule.delayAfter(1, Duration.ofDays(2))).contains(Duration.ofHours(6));
    assertThat(schedule.delayAfter(7, Duration.ofHours(5))).contains(Duration.ofHours(5));
    assertThat(schedule.delayAfter(2, Duration.ZERO)).contains(Duration.ofSeconds(30));
  }

  @Test
  void aJitteredDelayLongerThanTheCapIsKept() {
    RetrySchedule schedule = new RetrySchedule(new FixedRandom(Math.nextDown(1.0)));

    Optional<Duration> delay = schedule.delayAfter(8, Duration.ofDays(1));

    assertThat(delay.orElseThrow()).isGreaterThan(Duration.ofHours(7));
  }

  static Stream<Arguments> retryAfterValues() {
    Instant now = Instant.parse("2015-10-21T07:26:00Z");
    return Stream.of(
        Arguments.of("120", now, Optional.of(Duration.ofSeconds(120))),
        Arguments.of(" 0 ", now, Optional.of(Duration.ZERO)),
        Arguments.of("Wed, 21 Oct 2015 07:28:00 GMT", now, Optional.of(Duration.ofMinutes(2))),
        Arguments.of("Wed, 21 Oct 2015 07:00:00 GMT", now, Optional.of(Duration.ZERO)),
        Arguments.of(
            "99999999999999999999999", now, Optional.of(Duration.ofSeconds(1_000_000_000L))),
        Arguments.of("soon", now, Optional.empty()),
        Arguments.of("-5", now, Optional.empty()),
        Arguments.of("1.5", now, Optional.empty()),
        Arguments.of("", now, Optional.empty()),
        Arguments.of(null, now, Optional.empty()));
  }

  @ParameterizedTest(name = "''{0}''")
  @MethodSource("retryAfterValues")
  void parsesRetryAfterSecondsAndHttpDates(String value, Instant now, Optional<Duration> expected) {
    assertThat(RetrySchedule.parseRetryAfter(value, now)).isEqualTo(expected);
  }

  private static org.assertj.core.data.Offset<Long> within(long millis) {
    return org.assertj.core.data.Offset.offset(millis);
  }
}
