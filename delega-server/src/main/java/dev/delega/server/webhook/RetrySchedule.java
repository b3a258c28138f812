package dev.delega.server.webhook;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * When to retry a failed delivery: after 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 3 h and 6 h, each
 * with ±20% jitter, stretched to a longer {@code Retry-After} (capped at 6 h); after the ninth
 * failed attempt the delivery is given up.
 */
public final class RetrySchedule {

  /** The nominal delay after the 1st, 2nd, … 8th failed attempt. */
  public static final List<Duration> DELAYS =
      List.of(
          Duration.ofSeconds(5),
          Duration.ofSeconds(30),
          Duration.ofMinutes(2),
          Duration.ofMinutes(10),
          Duration.ofMinutes(30),
          Duration.ofHours(1),
          Duration.ofHours(3),
          Duration.ofHours(6));

  /** Jitter as a fraction of the nominal delay, either way. */
  public static final double JITTER = 0.2;

  /** The longest a receiver's {@code Retry-After} can push a retry back. */
  public static final Duration MAX_RETRY_AFTER = Duration.ofHours(6);

  /** Consecutive failed deliveries after which a webhook is switched off. */
  public static final int AUTO_DISABLE_AFTER = 10;

  /** How long delivery records are kept. */
  public static final Duration RETENTION = Duration.ofDays(30);

  private static final Pattern DELTA_SECONDS = Pattern.compile("[0-9]+");
  private static final long MAX_SECONDS = 1_000_000_000L;

  private final RandomGenerator random;

  /** A schedule drawing its jitter from {@code random} (tests pass a fixed one). */
  public RetrySchedule(RandomGenerator random) {
    this.random = Objects.requireNonNull(random, "random");
  }

  /**
   * The wait before the next attempt after {@code failedAttempts} failed ones (1 for the first
   * failure), or empty when the schedule is exhausted (from 9 on). {@code retryAfter} is the
   * receiver's {@code Retry-After}, or {@code null}; it wins when longer than the jittered delay,
   * capped at {@link #MAX_RETRY_AFTER}.
   */
  public Optional<Duration> delayAfter(int failedAttempts, Duration retryAfter) {
    if (failedAttempts < 1) {
      throw new IllegalArgumentException(
          "failedAttempts must be at least 1, was " + failedAttempts);
    }
    if (failedAttempts > DELAYS.size()) {
      return Optional.empty();
    }
    Duration nominal = DELAYS.get(failedAttempts - 1);
    double factor = 1 + JITTER * (2 * random.nextDouble() - 1);
    Duration delay = Duration.ofMillis(Math.round(nominal.toMillis() * factor));
    if (retryAfter != null) {
      Duration asked = retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter;
      if (asked.compareTo(delay) > 0) {
        delay = asked;
      }
    }
    return Optional.of(delay);
  }

  /**
   * Reads a {@code Retry-After} value: delay-seconds ({@code 120}) or an HTTP date ({@code Wed, 21
   * Oct 2015 07:28:00 GMT}, measured from {@code now}, never negative); empty when absent or
   * unreadable.
   */
  public static Optional<Duration> parseRetryAfter(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String text = value.strip();
    if (DELTA_SECONDS.matcher(text).matches()) {
      long seconds = text.length() > 10 ? MAX_SECONDS : Math.min(Long.parseLong(text), MAX_SECONDS);
      return Optional.of(Duration.ofSeconds(seconds));
    }
    try {
      Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration until = Duration.between(now, at);
      return Optional.of(until.isNegative() ? Duration.ZERO : until);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
