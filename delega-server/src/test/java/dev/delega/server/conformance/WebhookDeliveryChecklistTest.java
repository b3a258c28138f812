package dev.delega.server.conformance;

import static dev.delega.server.conformance.Fleet.body;
import static dev.delega.server.conformance.Fleet.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.delega.api.Json;
import dev.delega.server.conformance.Fleet.Actor;
import dev.delega.server.testing.DelegaServerExtension;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Webhook deliveries (checklist C41, C42) to a real local receiver, adapted to spec §7: signed
 * over {@code timestamp + "." + body} with the generated secret, and a webhook receives events for
 * every task its owner may see (the reference: only for the owner's own actions). Skipped, with
 * that reason, while the webhook feature is not installed.
 */
class WebhookDeliveryChecklistTest {
  @RegisterExtension static final DelegaServerExtension SERVER = new DelegaServerExtension();

  private final Fleet fleet = new Fleet(SERVER);

  @BeforeEach
  void requireWebhooks() {
    assumeTrue(Routes.exists(SERVER, "POST", "/webhooks"), "the webhook feature is not installed (no POST /webhooks)");
  }

  @Test
  void c41_deliveriesAreSignedOverTimestampAndBody() throws Exception {
    try (Receiver receiver = new Receiver()) {
      Actor admin = fleet.admin();
      JsonNode hook = expect(admin.send("POST", "/webhooks", body("url", receiver.url(), "events", List.of("task.created"))), 201);
      String secret = hook.get("secret").asString();
      long task = Fleet.task(admin, "signed");

      Receiver.Hit hit = receiver.next();

      String timestamp = hit.header("X-Delega-Timestamp");
      assertThat(timestamp).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
      assertThat(hit.header("X-Delega-Signature")).isEqualTo("sha256=" + hmacHex(secret, timestamp + "." + hit.body()));
      assertThat(hit.header("X-Delega-Event")).isEqualTo("task.created");
      assertThat(hit.header("X-Delega-Delivery")).isNotBlank();
      JsonNode payload = Json.mapper().readTree(hit.body());
      assertThat(payload.get("event").asString()).isEqualTo("task.created");
      assertThat(payload.findValues("id")).extracting(JsonNode::asLong).contains(task);
    }
  }

  @Test
  void c42_anAdminsWebhookHearsOfTasksOtherAgentsCreate() throws Exception {
    try (Receiver receiver = new Receiver()) {
      Actor admin = fleet.admin();
      expect(admin.send("POST", "/webhooks", body("url", receiver.url(), "events", List.of("task.created"))), 201);
      long task = Fleet.task(fleet.worker("maker"), "made by a worker");

      JsonNode payload = Json.mapper().readTree(receiver.next().body());

      assertThat(payload.findValues("id")).extracting(JsonNode::asLong).contains(task);
    }
  }

  static String hmacHex(String secret, String message) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
  }

  /** A local HTTP receiver that records every request it gets. */
  static final class Receiver implements AutoCloseable {
    record Hit(Map<String, List<String>> headers, String body) {
      String header(String name) {
        return headers.entrySet().stream()
            .filter(e -> e.getKey().equalsIgnoreCase(name))
            .findFirst()
            .map(e -> e.getValue().get(0))
            .orElse(null);
      }
    }

    private final BlockingQueue<Hit> hits = new LinkedBlockingQueue<>();
    private final HttpServer http;

    Receiver() throws IOException {
      http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      http.createContext("/", ex -> {
        byte[] b = ex.getRequestBody().readAllBytes();
        hits.add(new Hit(Map.copyOf(ex.getRequestHeaders()), new String(b, StandardCharsets.UTF_8)));
        ex.sendResponseHeaders(200, -1);
        ex.close();
      });
      http.start();
    }

    String url() {
      return "http://127.0.0.1:" + http.getAddress().getPort() + "/hook";
    }

    Hit next() throws InterruptedException {
      Hit h = hits.poll(20, TimeUnit.SECONDS);
      if (h == null) {
        throw new AssertionError("no webhook delivery arrived within 20 s");
      }
      return h;
    }

    @Override
    public void close() {
      http.stop(0);
    }
  }
}
