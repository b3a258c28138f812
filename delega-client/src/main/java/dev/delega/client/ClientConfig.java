package dev.delega.client;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** Everything a {@link DelegaClient} was built with, validated by its builder. */
record ClientConfig(
    URI base,
    String apiKey,
    AuthScheme authScheme,
    Duration timeout,
    int retries,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration maxRetryWait,
    boolean autoIdempotencyKeys,
    String userAgent,
    Map<String, String> defaultHeaders,
    Clock clock,
    Sleeper sleeper) {

  ClientConfig withApiKey(String key) {
    return new ClientConfig(
        base,
        key,
        authScheme,
        timeout,
        retries,
        initialBackoff,
        maxBackoff,
        maxRetryWait,
        autoIdempotencyKeys,
        userAgent,
        defaultHeaders,
        clock,
        sleeper);
  }
}
