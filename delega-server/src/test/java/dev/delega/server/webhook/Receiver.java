package dev.delega.server.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.delega.api.Json;
import dev.delega.client.WebhookVerificationException;
import dev.delega.client.WebhookVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * A real webhook receiver on 127.0.0.1 for tests: records every delivery and checks it with both
 * signature schemes (the SDK's {@link WebhookVerifier}, and {@link PythonSdkVerifier}, the official
 * Python SDK's check); what it answers is set per path.
 */
public final class Receiver implements AutoCloseable {
  /** One request as received, with the verdict of each signature check (null = it passed). */
  public record Delivery(
      String path,
      Map<String, String> headers,
      byte[] body,
      long receivedAtMillis,
      String delegaFailure,
      String standardFailure,
      String pythonFailure) {

    public JsonNode json() {
      return Json.mapper().readTree(body);
    }

    public String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    public String deliveryId() {
      return header("X-Delega-Delivery");
    }

    public String event() {
      return header("X-Delega-Event");
    }

    /** Both schemes and the Python SDK's check accepted it. */
    public boolean verified() {
      return delegaFailure == null && standardFailure == null && pythonFailure == null;
    }
  }

  /** What to answer on a path: status, headers, and an optional delay. */
  public record Answer(int status, Map<String, String> headers, Duration delay) {
    public static Answer ok() {
      return new Answer(200, Map.of(), Duration.ZERO);
    }

    public static Answer status(int status) {
      return new Answer(status, Map.of(), Duration.ZERO);
    }
  }

  private final HttpServer server;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final ConcurrentLinkedQueue<Delivery> received = new ConcurrentLinkedQueue<>();
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final Map<String, String> secrets = new ConcurrentHashMap<>();
  private final Clock clock;

  /** A receiver verifying timestamps against {@code clock}. */
  public Receiver(Clock clock) throws IOException {
    this.clock = clock;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  public Receiver() throws IOException {
    this(Clock.systemUTC());
  }

  /** The URL of {@code path} on this receiver. */
  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** Verifies deliveries to {@code path} with {@code secret}. */
  public void secret(String path, String secret) {
    secrets.put(path, secret);
  }

  /** Answers requests to {@code path} this way from now on (default 200). */
  public void answer(String path, Answer answer) {
    answers.put(path, answer);
  }

  public List<Delivery> all() {
    return List.copyOf(received);
  }

  public List<Delivery> to(String path) {
    return all().stream().filter(d -> d.path().equals(path)).toList();
  }

  /** Waits (polling, at most {@code within}) until {@code done} holds for what was received. */
  public List<Delivery> await(Duration within, Predicate<List<Delivery>> done)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      List<Delivery> now = all();
      if (done.test(now)) {
        return now;
      }
      Thread.sleep(10);
    }
    return all();
  }

  private void handle(HttpExchange exchange) throws IOException {
    long at = System.currentTimeMillis();
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    Map<String, String> headers = new java.util.HashMap<>();
    exchange
        .getRequestHeaders()
        .forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
    String path = exchange.getRequestURI().getPath();
    String secret = secrets.get(path);
    String delega = "no secret";
    String standard = "no secret";
    String python = "no secret";
    if (secret != null) {
      WebhookVerifier verifier = new WebhookVerifier(clock, WebhookVerifier.DEFAULT_TOLERANCE);
      delega =
          check(
              () ->
                  verifier.verifyDelega(
                      body,
                      headers.get("x-delega-signature"),
                      headers.get("x-delega-timestamp"),
                      secret));
      standard =
          check(
              () ->
                  verifier.verifyStandard(
                      body,
                      headers.get("webhook-id"),
                      headers.get("webhook-timestamp"),
                      headers.get("webhook-signature"),
                      secret));
      try {
        PythonSdkVerifier.verify(
            body,
            headers.get("x-delega-signature"),
            headers.get("x-delega-timestamp"),
            secret,
            clock.instant());
        python = null;
      } catch (PythonSdkVerifier.Refused e) {
        python = e.getMessage();
      }
    }
    received.add(new Delivery(path, Map.copyOf(headers), body, at, delega, standard, python));
    Answer answer = answers.getOrDefault(path, Answer.ok());
    if (!answer.delay().isZero()) {
      try {
        Thread.sleep(answer.delay().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
    exchange.sendResponseHeaders(answer.status(), -1);
    exchange.close();
  }

  private interface Check {
    void run() throws WebhookVerificationException;
  }

  private static String check(Check check) {
    try {
      check.run();
      return null;
    } catch (WebhookVerificationException e) {
      return e.getMessage();
    }
  }

  /** Deliveries grouped by event id (payload {@code event_id}). */
  public static Map<Long, List<Delivery>> byEvent(List<Delivery> deliveries) {
    Map<Long, List<Delivery>> out = new java.util.TreeMap<>();
    for (Delivery d : deliveries) {
      JsonNode id = d.json().get("event_id");
      if (id != null) {
        out.computeIfAbsent(id.asLong(), k -> new ArrayList<>()).add(d);
      }
    }
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
