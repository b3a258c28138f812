package dev.delega.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.delega.server.testing.DelegaServerExtension;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

class WebhookCommandsTest {
  @RegisterExtension static final DelegaServerExtension server = new DelegaServerExtension();

  /** A loopback receiver that answers 200 and remembers the events it was sent. */
  private HttpServer receiver;
  private final List<String> received = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startReceiver() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook", exchange -> {
      received.add(exchange.getRequestHeaders().getFirst("X-Delega-Event"));
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    receiver.start();
  }

  @AfterEach
  void stopReceiver() {
    receiver.stop(0);
  }

  private String url() {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
  }

  @Test
  void createsTestsInspectsRedeliversAndDeletesAWebhook() {
    Cli cli = Cli.against(server.rootUrl(), server.adminKey());
    JsonNode hook = cli.json("webhooks", "create", url(), "--events", "task.created,task.completed");
    String id = hook.path("id").asString();
    String secret = hook.path("secret").asString();
    assertThat(secret).startsWith("whsec_");
    assertThat(hook.path("events")).extracting(JsonNode::asString).containsExactly("task.created", "task.completed");

    Cli.Result list = cli.run("webhooks", "list", "--json");
    assertThat(list.json()).extracting(h -> h.path("id").asString()).contains(id);
    assertThat(list.out()).doesNotContain(secret);
    assertThat(cli.run("webhooks", "list").out()).startsWith("ID").contains(url(), "task.created, task.completed");

    JsonNode ping = cli.json("webhooks", "test", id);
    assertThat(ping.path("success").asBoolean()).isTrue();
    assertThat(received).contains("webhook.test");
    String deliveryId = ping.path("id").asString();

    JsonNode deliveries = cli.json("webhooks", "deliveries", id);
    assertThat(deliveries).extracting(d -> d.path("id").asString()).contains(deliveryId);
    assertThat(cli.run("webhooks", "deliveries", id).out()).startsWith("DELIVERY").contains(deliveryId, "webhook.test");

    JsonNode again = cli.json("webhooks", "redeliver", id, deliveryId);
    assertThat(again.path("id").asString()).isEqualTo(deliveryId);

    assertThat(cli.json("webhooks", "delete", id, "--dry-run").path("would_delete").path("url").asString()).isEqualTo(url());
    assertThat(cli.run("webhooks", "delete", id).exit()).isEqualTo(1);
    assertThat(cli.json("webhooks", "delete", id, "--yes").path("deleted").asBoolean()).isTrue();
    assertThat(cli.json("webhooks", "list")).extracting(h -> h.path("id").asString()).doesNotContain(id);
  }

  @Test
  void humanCreateShowsTheSecretOnce() {
    Cli cli = Cli.against(server.rootUrl(), server.adminKey());
    Cli.Result r = cli.run("webhooks", "create", url());
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).contains("Webhook #", "whsec_", "shown this once");
    Cli.Result bad = cli.run("webhooks", "create", url(), "--events", "task.exploded");
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.err()).startsWith("Error: ");
  }
}
