package dev.delega.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.delega.client.WebhookVerifier;
import dev.delega.server.webhook.WebhookSender.Attempt;
import dev.delega.server.webhook.WebhookSender.Options;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Drives the sender against a real HTTP receiver on 127.0.0.1. */
class WebhookSenderTest {

  private static final Instant NOW = Instant.parse("2025-03-04T05:06:07.089Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final String SECRET = PayloadSigner.newSecret();
  private static final byte[] BODY =
      "{\"event\":\"task.created\",\"task\":{\"id\":7,\"content\":\"Grüße\"}}"
          .getBytes(StandardCharsets.UTF_8);

  /** One request the receiver got. */
  record Received(String path, Headers headers, byte[] body) {}

  private final Queue<Received> received = new ConcurrentLinkedQueue<>();
  private final CountDownLatch releaseSlow = new CountDownLatch(1);
  private ExecutorService receiverThreads;
  private HttpServer server;
  private String base;

  @BeforeEach
  void startReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiverThreads = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(receiverThreads);
    server.createContext("/ok", exchange -> reply(exchange, 200, Map.of(), "thanks"));
    server.createContext("/accepted", exchange -> reply(exchange, 204, Map.of(), ""));
    server.createContext("/fail", exchange -> reply(exchange, 500, Map.of(), "boom"));
    server.createContext("/huge", exchange -> reply(exchange, 500, Map.of(), "x".repeat(1 << 20)));
    server.createContext(
        "/busy", exchange -> reply(exchange, 503, Map.of("Retry-After", "120"), "later"));
    server.createContext(
        "/moved", exchange -> reply(exchange, 302, Map.of("Location", base + "/target"), ""));
    server.createContext("/target", exchange -> reply(exchange, 200, Map.of(), "redirected"));
    server.createContext(
        "/slow",
        exchange -> {
          try {
            releaseSlow.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          reply(exchange, 200, Map.of(), "too late");
        });
    server.createContext(
        "/endless",
        exchange -> {
          // 8 KiB of body, then the receiver hangs: only a sender that stops at 4 KiB returns
          // early.
          try (exchange) {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(500, 0);
            OutputStream out = exchange.getResponseBody();
            out.write("e".repeat(8192).getBytes(StandardCharsets.UTF_8));
            out.flush();
            releaseSlow.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (IOException clientWentAway) {
            // expected once the sender has its 4 KiB
          }
        });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stopReceiver() {
    releaseSlow.countDown();
    server.stop(0);
    receiverThreads.shutdownNow();
  }

  private void reply(HttpExchange exchange, int status, Map<String, String> headers, String body)
      throws IOException {
    try (exchange) {
      received.add(
          new Received(
              exchange.getRequestURI().getPath(),
              exchange.getRequestHeaders(),
              exchange.getRequestBody().readAllBytes()));
      headers.forEach(exchange.getResponseHeaders()::add);
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        } catch (IOException clientWentAway) {
          // the sender stops reading after 4 KiB
        }
      }
    }
  }

  private static WebhookSender sender(boolean allowPrivate) {
    return new WebhookSender(
        new WebhookUrlPolicy(allowPrivate, WebhookUrlPolicy.HostResolver.system()),
        CLOCK,
        new Options(Duration.ofSeconds(5), Duration.ofSeconds(10), "9.9.9-test"));
  }

  private static Map<String, String> signed() {
    return PayloadSigner.headers(SECRET, "dlv_123", "task.created", NOW, BODY);
  }

  @Test
  void deliversTheBodyWithSignedHeadersAndReportsSuccess() {
    Attempt attempt;
    try (WebhookSender sender = sender(true)) {
      attempt = sender.send(base + "/ok", signed(), BODY);
    }

    assertThat(attempt.success()).isTrue();
    assertThat(attempt.statusCode()).isEqualTo(200);
    assertThat(attempt.error()).isNull();
    assertThat(attempt.responseExcerpt()).isEqualTo("thanks");
    assertThat(attempt.latencyMillis()).isNotNegative();
    assertThat(attempt.retryAfter()).isNull();

    assertThat(received).hasSize(1);
    Received request = received.peek();
    assertThat(request.path()).isEqualTo("/ok");
    assertThat(request.body()).isEqualTo(BODY);
    Headers h = request.headers();
    assertThat(h.getFirst("User-Agent")).isEqualTo("Delega-Webhooks/9.9.9-test");
    assertThat(h.getFirst("Content-Type")).startsWith("application/json");
    assertThat(h.getFirst("X-Delega-Event")).isEqualTo("task.created");
    assertThat(h.getFirst("X-Delega-Delivery")).isEqualTo("dlv_123");
    assertThat(h.getFirst("webhook-id")).isEqualTo("dlv_123");
    WebhookVerifier verifier = new WebhookVerifier(CLOCK, Duration.ofSeconds(300));
    assertThatCode(
            () ->
                verifier.verifyDelega(
                    request.body(),
                    h.getFirst("X-Delega-Signature"),
                    h.getFirst("X-Delega-Timestamp"),
                    SECRET))
        .doesNotThrowAnyException();
    assertThatCode(
            () ->
                verifier.verifyStandard(
                    request.body(),
                    h.getFirst("webhook-id"),
                    h.getFirst("webhook-timestamp"),
                    h.getFirst("webhook-signature"),
                    SECRET))
        .doesNotThrowAnyException();
  }

  @Test
  void aNoContentResponseIsASuccess() {
    try (WebhookSender sender = sender(true)) {
      Attempt attempt = sender.send(base + "/accepted", signed(), BODY);

      assertThat(attempt.success()).isTrue();
      assertThat(attempt.statusCode()).isEqualTo(204);
      assertThat(attempt.responseExcerpt()).isEmpty();
    }
  }

  @Test
  void aServerErrorIsAFailureWithTheBodyAsExcerpt() {
    try (WebhookSender sender = sender(true)) {
      Attempt attempt = sender.send(base + "/fail", signed(), BODY);

      assertThat(attempt.success()).isFalse();
      assertThat(attempt.statusCode()).isEqualTo(500);
      assertThat(attempt.responseExcerpt()).isEqualTo("boom");
      assertThat(attempt.error()).isEqualTo("HTTP 500: boom");
    }
  }

  @Test
  void aHugeResponseIsCutTo500Characters() {
    try (WebhookSender sender = sender(true)) {
      Attempt attempt = sender.send(base + "/huge", signed(), BODY);

      assertThat(attempt.statusCode()).isEqualTo(500);
      assertThat(attempt.responseExcerpt()).isEqualTo("x".repeat(500));
      assertThat(attempt.error()).hasSize(500).startsWith("HTTP 500: xxx");
    }
  }

  @Test
  void readsNoMoreThanFourKibibytesOfTheResponse() {
    try (WebhookSender sender =
        new WebhookSender(
            new WebhookUrlPolicy(true, WebhookUrlPolicy.HostResolver.system()),
            CLOCK,
            Options.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20)))) {
      Attempt attempt = sender.send(base + "/endless", signed(), BODY);

      assertThat(attempt.statusCode()).isEqualTo(500);
      assertThat(attempt.error()).startsWith("HTTP 500: eee").doesNotContainIgnoringCase("timeout");
      assertThat(attempt.responseExcerpt()).isEqualTo("e".repeat(500));
    }
  }

  @Test
  void retryAfterIsSurfaced() {
    try (WebhookSender sender = sender(true)) {
      Attempt attempt = sender.send(base + "/busy", signed(), BODY);

      assertThat(attempt.success()).isFalse();
      assertThat(attempt.statusCode()).isEqualTo(503);
      assertThat(attempt.retryAfter()).isEqualTo(Duration.ofSeconds(120));
    }
  }

  @Test
  void redirectsAreNotFollowed() {
    try (WebhookSender sender = sender(true)) {
      Attempt attempt = sender.send(base + "/moved", signed(), BODY);

      assertThat(attempt.success()).isFalse();
      assertThat(attempt.statusCode()).isEqualTo(302);
      assertThat(attempt.error()).contains("redirect not followed");
    }
    assertThat(received).extracting(Received::path).containsExactly("/moved");
  }

  @Test
  void aReceiverSlowerThanTheTotalTimeoutIsAnError() {
    try (WebhookSender sender =
        new WebhookSender(
            new WebhookUrlPolicy(true, WebhookUrlPolicy.HostResolver.system()),
            CLOCK,
            Options.defaults().withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(300)))) {
      Attempt attempt = sender.send(base + "/slow", signed(), BODY);

      assertThat(attempt.success()).isFalse();
      assertThat(attempt.statusCode()).isNull();
      assertThat(attempt.error()).containsIgnoringCase("timeout");
    }
  }

  @Test
  void aClosedPortIsAnError() throws IOException {
    int port;
    try (var probe = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    try (WebhookSender sender = sender(true)) {
      Attempt attempt = sender.send("http://127.0.0.1:" + port + "/hook", signed(), BODY);

      assertThat(attempt.success()).isFalse();
      assertThat(attempt.statusCode()).isNull();
      assertThat(attempt.error()).isNotBlank();
    }
  }

  @Test
  void withoutAllowPrivateLoopbackIsRefusedWithoutConnecting() {
    try (WebhookSender sender = sender(false)) {
      Attempt attempt = sender.send(base + "/ok", signed(), BODY);

      assertThat(attempt.success()).isFalse();
      assertThat(attempt.statusCode()).isNull();
      assertThat(attempt.error()).isEqualTo(WebhookUrlPolicy.INTERNAL);
    }
    assertThat(received).isEmpty();
  }

  @Test
  void aRefusedUrlNeverReachesTheNetwork() {
    try (WebhookSender sender = sender(true)) {
      Attempt attempt = sender.send("ftp://127.0.0.1/hook", signed(), BODY);

      assertThat(attempt.error()).isEqualTo(WebhookUrlPolicy.BAD_SCHEME);
      assertThat(attempt.statusCode()).isNull();
    }
  }

  /** Answers each name from a queue of answers, one per lookup, like a rebinding DNS server. */
  static final class RebindingResolver implements WebhookUrlPolicy.HostResolver {
    private final Deque<InetAddress> answers = new ArrayDeque<>();
    int lookups;

    RebindingResolver answer(String literal) {
      answers.add(WebhookUrlPolicyTest.address("rebind.example", literal));
      return this;
    }

    @Override
    public synchronized List<InetAddress> resolve(String host) throws UnknownHostException {
      lookups++;
      InetAddress next = answers.size() > 1 ? answers.poll() : answers.peek();
      if (next == null) {
        throw new UnknownHostException(host);
      }
      return List.of(next);
    }
  }

  @Test
  void theConnectionGoesOnlyToAddressesThatWereChecked() {
    // The name is public when the URL is checked, then rebinds to loopback when Jetty connects.
    RebindingResolver dns = new RebindingResolver().answer("93.184.216.34").answer("127.0.0.1");
    int port = server.getAddress().getPort();
    try (WebhookSender sender =
        new WebhookSender(new WebhookUrlPolicy(false, dns), CLOCK, Options.defaults())) {
      Attempt attempt = sender.send("http://rebind.example:" + port + "/ok", signed(), BODY);

      assertThat(attempt.success()).isFalse();
      assertThat(attempt.statusCode()).isNull();
      assertThat(attempt.error()).isEqualTo(WebhookUrlPolicy.INTERNAL);
    }
    assertThat(dns.lookups).isEqualTo(2);
    assertThat(received).isEmpty();
  }

  @Test
  void jettyResolvesHostNamesThroughThePolicyResolver() {
    // "receiver.test" exists only in the fake resolver, so reaching the receiver proves Jetty used
    // it.
    WebhookUrlPolicy.HostResolver dns =
        host -> {
          if (!host.equals("receiver.test")) {
            throw new UnknownHostException(host);
          }
          return List.of(WebhookUrlPolicyTest.address(host, "127.0.0.1"));
        };
    int port = server.getAddress().getPort();
    try (WebhookSender sender =
        new WebhookSender(new WebhookUrlPolicy(true, dns), CLOCK, Options.defaults())) {
      Attempt attempt = sender.send("http://receiver.test:" + port + "/ok", signed(), BODY);

      assertThat(attempt.success()).isTrue();
    }
    assertThat(received).hasSize(1);
    assertThat(received.peek().headers().getFirst("Host")).isEqualTo("receiver.test:" + port);
  }

  @Test
  void deliversToAnIpv6LiteralOnTheCheckedAddress() throws IOException {
    HttpServer v6;
    try {
      v6 = HttpServer.create(new InetSocketAddress(InetAddress.getByName("::1"), 0), 0);
    } catch (IOException e) {
      Assumptions.abort("this machine has no IPv6 loopback: " + e.getMessage());
      return;
    }
    v6.createContext("/ok", exchange -> reply(exchange, 200, Map.of(), "v6"));
    v6.start();
    try (WebhookSender sender = sender(true)) {
      Attempt attempt =
          sender.send("http://[::1]:" + v6.getAddress().getPort() + "/ok", signed(), BODY);

      assertThat(attempt.success()).isTrue();
      assertThat(attempt.responseExcerpt()).isEqualTo("v6");
    } finally {
      v6.stop(0);
    }
  }

  @Test
  void sendAsyncCompletesWithTheSameAttempt() throws Exception {
    try (WebhookSender sender = sender(true)) {
      Attempt attempt = sender.sendAsync(base + "/busy", signed(), BODY).get(15, TimeUnit.SECONDS);

      assertThat(attempt.statusCode()).isEqualTo(503);
      assertThat(attempt.retryAfter()).isEqualTo(Duration.ofSeconds(120));
    }
  }
}
