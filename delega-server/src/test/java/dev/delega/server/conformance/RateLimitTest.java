package dev.delega.server.conformance;

import static dev.delega.server.conformance.Fleet.body;
import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.client.DelegaClient;
import dev.delega.client.RateLimitedException;
import dev.delega.client.RawResponse;
import dev.delega.server.conformance.Fleet.Actor;
import dev.delega.server.testing.DelegaServerExtension;
import dev.delega.server.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Rate limiting (checklist C45 adapted to spec §3 and weakness §12.27): configurable limits per
 * agent, per client address without a key (the first X-Forwarded-For hop from a trusted proxy),
 * 429 with {@code Retry-After} and {@code RateLimit-*} headers and CORS headers. The clock stands
 * still, so buckets only refill when a test moves it.
 */
class RateLimitTest {
  static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-11T12:00:00Z"));

  @RegisterExtension
  static final DelegaServerExtension SERVER =
      new DelegaServerExtension()
          .clock(CLOCK)
          .env("DELEGA_RATE_LIMIT_ENABLED", "true")
          .env("DELEGA_RATE_LIMIT_READS_PER_MIN", "5")
          .env("DELEGA_RATE_LIMIT_WRITES_PER_MIN", "3")
          .env("DELEGA_TRUSTED_PROXIES", "127.0.0.1/32");

  private final Fleet fleet = new Fleet(SERVER);

  @BeforeEach
  void refillEveryBucket() {
    CLOCK.advance(Duration.ofMinutes(2));
  }

  private Actor freshAgent() {
    Actor a = fleet.worker("limited");
    CLOCK.advance(Duration.ofMinutes(2));
    return a;
  }

  @Test
  void c45_theReadOverTheLimitIs429WithRetryAfterAndRateLimitHeaders() {
    Actor a = freshAgent();
    for (int i = 0; i < 5; i++) {
      RawResponse ok = a.send("GET", "/tasks", null);
      assertThat(ok.status()).isEqualTo(200);
      assertThat(ok.header("RateLimit-Limit")).contains("5");
      assertThat(ok.header("RateLimit-Remaining")).contains(String.valueOf(4 - i));
    }

    RawResponse limited = a.send("GET", "/tasks", null);

    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.json().get("code").asString()).isEqualTo("rate_limited");
    assertThat(limited.json().get("error").asString()).isEqualTo("Rate limit exceeded (5/min for read requests)");
    assertThat(Long.parseLong(limited.header("Retry-After").orElseThrow())).isBetween(1L, 60L);
    assertThat(limited.header("RateLimit-Remaining")).contains("0");
    assertThat(limited.header("RateLimit-Reset")).isPresent();
  }

  @Test
  void c45_theWriteOverTheLimitIs429() {
    Actor a = freshAgent();
    for (int i = 0; i < 3; i++) {
      assertThat(a.send("POST", "/tasks", body("content", "w" + i)).status()).isEqualTo(201);
    }

    RawResponse limited = a.send("POST", "/tasks", body("content", "one too many"));

    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.json().get("error").asString()).isEqualTo("Rate limit exceeded (3/min for write requests)");
    assertThat(a.send("GET", "/tasks", null).status()).as("reads have their own allowance").isEqualTo(200);
  }

  @Test
  void theSdkReportsTheWaitOfA429() {
    Actor a = freshAgent();
    for (int i = 0; i < 5; i++) {
      a.client().tasks().list();
    }
    try {
      a.client().tasks().list();
      throw new AssertionError("expected a 429");
    } catch (RateLimitedException e) {
      assertThat(e.status()).isEqualTo(429);
      assertThat(e.code()).isEqualTo("rate_limited");
    }
  }

  @Test
  void limitsArePerAgent() {
    Actor a = freshAgent();
    Actor b = freshAgent();
    for (int i = 0; i < 5; i++) {
      a.send("GET", "/tasks", null);
    }
    assertThat(a.send("GET", "/tasks", null).status()).isEqualTo(429);
    assertThat(b.send("GET", "/tasks", null).status()).isEqualTo(200);
  }

  @Test
  void theBucketRefillsAsTimePasses() {
    Actor a = freshAgent();
    for (int i = 0; i < 5; i++) {
      a.send("GET", "/tasks", null);
    }
    assertThat(a.send("GET", "/tasks", null).status()).isEqualTo(429);

    CLOCK.advance(Duration.ofSeconds(13));

    assertThat(a.send("GET", "/tasks", null).status()).isEqualTo(200);
    assertThat(a.send("GET", "/tasks", null).status()).isEqualTo(429);
  }

  @Test
  void requestsWithoutAKeyAreLimitedPerAddressEvenWhenRefused() {
    DelegaClient keyless = fleet.anonymous();
    for (int i = 0; i < 5; i++) {
      assertThat(keyless.send("GET", "/tasks").status()).isEqualTo(401);
    }
    assertThat(keyless.send("GET", "/tasks").status()).isEqualTo(429);
    assertThat(fleet.client(Fleet.wrongKey()).send("GET", "/tasks").status())
        .as("a wrong key is no identity: it shares the address's bucket").isEqualTo(429);
  }

  @Test
  void theForwardedClientAddressOfATrustedProxyHasItsOwnBucket() {
    DelegaClient keyless = fleet.anonymous();
    Map<String, String> first = Map.of("X-Forwarded-For", "203.0.113.7, 10.0.0.1");
    Map<String, String> second = Map.of("X-Forwarded-For", "203.0.113.8");
    for (int i = 0; i < 5; i++) {
      keyless.send("GET", "/tasks", null, first);
    }
    assertThat(keyless.send("GET", "/tasks", null, first).status()).isEqualTo(429);
    assertThat(keyless.send("GET", "/tasks", null, second).status()).isEqualTo(401);
  }

  @Test
  void a429CarriesCorsHeadersForAnAllowedOrigin() {
    Actor a = freshAgent();
    Map<String, String> origin = Map.of("Origin", "http://localhost:5173");
    for (int i = 0; i < 5; i++) {
      a.send("GET", "/tasks", null, origin);
    }
    RawResponse limited = a.send("GET", "/tasks", null, origin);
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.header("Access-Control-Allow-Origin")).contains("http://localhost:5173");
    assertThat(limited.header("Access-Control-Expose-Headers").orElse("")).contains("Retry-After");
  }

  @Test
  void healthIsNeverLimited() {
    DelegaClient keyless = fleet.anonymous();
    for (int i = 0; i < 20; i++) {
      assertThat(keyless.send("GET", SERVER.rootUrl() + "/health").status()).isEqualTo(200);
      assertThat(keyless.send("GET", "/health").status()).isEqualTo(200);
    }
  }
}
