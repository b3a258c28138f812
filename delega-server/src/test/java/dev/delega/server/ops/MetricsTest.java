package dev.delega.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.delega.client.DelegaClient;
import dev.delega.client.RawResponse;
import dev.delega.server.testing.DelegaServerExtension;
import dev.delega.server.testing.MutableClock;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every operational meter appears on {@code /metrics} and moves after the action it counts:
 * claims, lease expiries, queue depth per project, webhook lag, failures and disabled endpoints,
 * dedup checks and hits, the SQLite writer queue and HTTP requests.
 */
class MetricsTest {
  private static final String TOKEN = "metrics-test-token-123456";

  private final MutableClock clock = MutableClock.now();

  @RegisterExtension
  final DelegaServerExtension server =
      new DelegaServerExtension().clock(clock).env("DELEGA_METRICS_TOKEN", TOKEN);

  private HttpServer receiver;
  private final AtomicInteger received = new AtomicInteger();

  @BeforeEach
  void startReceiver() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/ok", x -> {
      x.getRequestBody().readAllBytes();
      received.incrementAndGet();
      x.sendResponseHeaders(204, -1);
      x.close();
    });
    receiver.createContext("/fail", x -> {
      x.getRequestBody().readAllBytes();
      x.sendResponseHeaders(500, -1);
      x.close();
    });
    receiver.start();
  }

  @AfterEach
  void stopReceiver() {
    receiver.stop(0);
  }

  private String hook(String path) {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
  }

  @Test
  void everyMeterAppearsAndMovesAfterItsAction() throws Exception {
    DelegaClient admin = client(server.adminKey());
    DelegaClient worker = client(server.newAgent("w1", "coordinator", Map.of()));
    DelegaClient other = client(server.newAgent("w2", "coordinator", Map.of()));
    Scrape before = scrape();
    for (String name : List.of("delega_claims_total", "delega_leases_expired_total", "delega_webhook_lag_seconds_count",
        "delega_webhook_failures_total", "delega_webhooks_disabled", "delega_dedup_checks_total",
        "delega_dedup_hits_total", "delega_store_pending_writes", "delega_http_requests_seconds_count")) {
      assertThat(before.has(name)).as(name + " on /metrics").isTrue();
    }

    // webhooks: one receiver answers 204 (lag), one 500 (failures), which its owner then switches off
    assertThat(admin.send("POST", "/webhooks", Map.of("url", hook("/ok"), "events", List.of("task.created"))).status())
        .isEqualTo(201);
    long failing = admin.send("POST", "/webhooks", Map.of("url", hook("/fail"), "events", List.of("task.created")))
        .json().get("id").asLong();

    // queue depth: two ready tasks in a project, one without a project
    long project = admin.send("POST", "/projects", Map.of("name", "ops")).json().get("id").asLong();
    long first = created(admin.send("POST", "/tasks", Map.of("content", "rotate the database credentials", "project_id", project)));
    created(admin.send("POST", "/tasks", Map.of("content", "write the quarterly report", "project_id", project)));
    created(admin.send("POST", "/tasks", Map.of("content", "water the office plants")));
    clock.advance(Duration.ofSeconds(6));
    Scrape queued = awaitScrape(s -> s.value("delega_queue_depth", "project=\"" + project + "\"") == 2, "queue depth 2");
    assertThat(queued.value("delega_queue_depth", "project=\"none\"")).isEqualTo(1);

    Scrape delivered = awaitScrape(
        s -> s.value("delega_webhook_lag_seconds_count") >= 3
            && s.value("delega_webhook_failures_total", "outcome=\"retry\"") >= 3, "deliveries");
    assertThat(received.get()).isGreaterThanOrEqualTo(3);
    assertThat(delivered.value("delega_webhook_lag_seconds_bucket")).as("lag histogram").isPositive();

    assertThat(admin.send("PUT", "/webhooks/" + failing, Map.of("active", false)).status()).isEqualTo(200);
    assertThat(scrape().value("delega_webhooks_disabled")).isEqualTo(before.value("delega_webhooks_disabled") + 1);

    // claims: next (claimed), by id on a held task (conflict), next on an empty queue (empty)
    RawResponse claimed = worker.send("POST", "/tasks/claim", Map.of("project_id", project, "lease_seconds", 30));
    assertThat(claimed.status()).isEqualTo(200);
    long held = claimed.json().get("task").get("id").asLong();
    assertThat(held).isEqualTo(first);
    assertThat(other.send("POST", "/tasks/" + held + "/claim", Map.of()).status()).isEqualTo(409);
    assertThat(worker.send("POST", "/tasks/claim", Map.of("project_id", project + 1000)).status()).isEqualTo(200);
    Scrape claims = scrape();
    assertThat(claims.value("delega_claims_total", "route=\"next\"", "outcome=\"claimed\"")).isEqualTo(1);
    assertThat(claims.value("delega_claims_total", "route=\"id\"", "outcome=\"conflict\"")).isEqualTo(1);
    assertThat(claims.value("delega_claims_total", "route=\"next\"", "outcome=\"empty\"")).isEqualTo(1);

    // lease expiry: the 30 s lease runs out on the fake clock and the sweeper returns the task
    clock.advance(Duration.ofSeconds(31));
    awaitScrape(s -> s.value("delega_leases_expired_total") == 1, "one lease expired");

    // dedup: a check without and one with a match
    admin.send("POST", "/tasks/dedup", Map.of("content", "something nobody has written before"));
    admin.send("POST", "/tasks/dedup", Map.of("content", "rotate the database credentials"));
    Scrape dedup = scrape();
    assertThat(dedup.value("delega_dedup_checks_total")).isEqualTo(before.value("delega_dedup_checks_total") + 2);
    assertThat(dedup.value("delega_dedup_hits_total")).isGreaterThan(before.value("delega_dedup_hits_total"));
    assertThat(dedup.value("delega_http_requests_seconds_count", "route=\"/api/tasks\"", "method=\"POST\""))
        .isEqualTo(3);
  }

  private static long created(RawResponse r) {
    assertThat(r.status()).isEqualTo(201);
    return r.json().get("id").asLong();
  }

  private DelegaClient client(String key) {
    return DelegaClient.builder().baseUrl(server.baseUrl()).apiKey(key).retries(0).build();
  }

  private Scrape awaitScrape(java.util.function.Predicate<Scrape> condition, String what) throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (true) {
      Scrape s = scrape();
      if (condition.test(s)) {
        return s;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + "; last scrape:\n" + s.text());
      }
      Thread.sleep(50);
    }
  }

  private Scrape scrape() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(server.rootUrl() + "/metrics")).header("Authorization", "Bearer " + TOKEN).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return new Scrape(r.body());
  }

  /** One Prometheus text answer. */
  record Scrape(String text) {
    boolean has(String name) {
      return text.lines().anyMatch(l -> !l.startsWith("#") && (l.startsWith(name + " ") || l.startsWith(name + "{")));
    }

    /** The sum of the series named {@code name} whose labels contain every fragment. */
    double value(String name, String... labels) {
      double sum = 0;
      for (String l : text.lines().toList()) {
        if (l.startsWith("#") || !(l.startsWith(name + " ") || l.startsWith(name + "{"))) {
          continue;
        }
        String series = l.substring(0, l.lastIndexOf(' '));
        boolean all = true;
        for (String f : labels) {
          all &= series.contains(f);
        }
        if (all) {
          sum += Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
        }
      }
      return sum;
    }
  }

}
