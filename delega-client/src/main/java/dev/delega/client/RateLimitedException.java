package dev.delega.client;

import dev.delega.api.Problem;
import java.time.Duration;

/** 429: too many requests; {@link #retryAfter()} says how long the server asked to wait. */
public final class RateLimitedException extends DelegaApiException {
  private final Duration retryAfter;

  RateLimitedException(RawResponse response, Problem problem, Duration retryAfter) {
    super(response, problem);
    this.retryAfter = retryAfter;
  }

  /**
   * The wait the {@code Retry-After} header asked for, or null when it was absent or unreadable.
   */
  public Duration retryAfter() {
    return retryAfter;
  }
}
