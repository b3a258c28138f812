package dev.delega.server.conformance;

import static dev.delega.server.conformance.Fleet.body;
import static dev.delega.server.conformance.Fleet.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.delega.client.RawResponse;
import dev.delega.server.conformance.Fleet.Actor;
import dev.delega.server.testing.DelegaServerExtension;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The webhook statements of the reference checklist (13, 22, 43–48, C38–C42), adapted to spec §7:
 * a secret is generated when none is given and shown once, deliveries are signed over
 * {@code timestamp + "." + body}. This server refuses private webhook URLs (the default), as the
 * SSRF statements need; deliveries (C41, C42) are in {@link WebhookDeliveryChecklistTest}. Every
 * test is skipped, with that reason, while the webhook feature is not installed.
 */
class WebhookChecklistTest {
  @RegisterExtension
  static final DelegaServerExtension SERVER = new DelegaServerExtension().env("DELEGA_ALLOW_PRIVATE_WEBHOOKS", "false");

  private final Fleet fleet = new Fleet(SERVER);

  @BeforeEach
  void requireWebhooks() {
    assumeTrue(Routes.exists(SERVER, "POST", "/webhooks"), "the webhook feature is not installed (no POST /webhooks)");
  }

  private RawResponse create(Actor as, String url) {
    return as.send("POST", "/webhooks", body("url", url, "events", List.of("task.created")));
  }

  private static void assertRefused(RawResponse r) {
    assertThat(r.status()).as(r.toString()).isBetween(400, 422);
  }

  @Test
  void s13_readerCannotSeeOrChangeAnAdminsWebhook() {
    long hook = expect(create(fleet.admin(), "http://1.1.1.1/hook"), 201).get("id").asLong();
    Actor reader = fleet.reader("reader");

    RawResponse list = reader.send("GET", "/webhooks", null);
    if (list.status() == 200) {
      assertThat(Fleet.ids(list.json())).doesNotContain(hook);
    } else {
      assertThat(list.status()).isEqualTo(403);
    }
    assertThat(reader.send("PUT", "/webhooks/" + hook, body("active", false)).status()).isIn(403, 404);
    assertThat(reader.send("DELETE", "/webhooks/" + hook, null).status()).isIn(403, 404);
  }

  /** Adapted: 201 on create, and the generated secret is returned this once (spec §7). */
  @Test
  void s22_adminCanCreateAWebhook() {
    JsonNode hook = expect(create(fleet.admin(), "http://1.1.1.1/hook"), 201);
    assertThat(hook.get("url").asString()).isEqualTo("http://1.1.1.1/hook");
    assertThat(hook.get("secret").asString()).startsWith("whsec_");
  }

  @Test
  void s43_cgnatUrlIsRefused() {
    assertRefused(create(fleet.admin(), "http://100.64.0.1/hook"));
  }

  @Test
  void s44_benchmarkingRangeUrlIsRefused() {
    assertRefused(create(fleet.admin(), "http://198.18.0.1/hook"));
  }

  @Test
  void s45_loopbackUrlIsRefused() {
    assertRefused(create(fleet.admin(), "http://127.0.0.1/hook"));
  }

  @Test
  void s46_portOutOfRangeIsRefusedWithoutCrashing() {
    assertRefused(create(fleet.admin(), "http://example.com:99999/hook"));
  }

  @Test
  void s47_nonNumericPortIsRefused() {
    assertRefused(create(fleet.admin(), "http://example.com:abc/hook"));
  }

  @Test
  void s48_publicAddressIsAccepted() {
    assertThat(create(fleet.admin(), "http://1.1.1.1/hook").status()).isEqualTo(201);
  }

  @Test
  void c38_createValidations() {
    Actor admin = fleet.admin();
    RawResponse unknownEvent = admin.send("POST", "/webhooks", body("url", "http://1.1.1.1/h", "events", List.of("task.exploded")));
    assertRefused(unknownEvent);
    assertThat(unknownEvent.json().get("error").asString()).contains("task.created");
    assertRefused(create(admin, "ftp://1.1.1.1/hook"));
    assertRefused(create(admin, "http://user:pw@1.1.1.1/hook"));
    assertRefused(create(admin, "http://localhost/"));
    assertRefused(create(admin, "http://svc.internal/"));
    assertRefused(admin.send("POST", "/webhooks",
        body("url", "http://1.1.1.1/h", "events", List.of("task.created"), "secret", "s".repeat(257))));
  }

  /** Adapted: the secret is shown on create only (spec §7), never afterwards. */
  @Test
  void c39_webhookReadsNeverContainTheSecret() {
    Actor admin = fleet.admin();
    JsonNode hook = expect(create(admin, "http://1.1.1.1/hook"), 201);
    String secret = hook.get("secret").asString();

    assertThat(expect(admin.send("GET", "/webhooks", null), 200).toString()).doesNotContain(secret);
    RawResponse updated = admin.send("PUT", "/webhooks/" + hook.get("id").asLong(), body("active", true));
    assertThat(updated.text()).doesNotContain(secret);
  }

  @Test
  void c40_anotherAdminsWebhookCannotBeChanged() {
    Actor owner = fleet.otherAdmin("owner");
    Actor admin = fleet.admin();
    long hook = expect(create(owner, "http://1.1.1.1/hook"), 201).get("id").asLong();

    assertThat(admin.send("PUT", "/webhooks/" + hook, body("active", false)).status()).isIn(403, 404);
    assertThat(admin.send("DELETE", "/webhooks/" + hook, null).status()).isIn(403, 404);
    assertThat(admin.send("GET", "/webhooks/" + hook + "/deliveries", null).status()).isIn(403, 404);
    assertThat(owner.send("GET", "/webhooks/" + hook + "/deliveries", null).status()).isEqualTo(200);
  }

  @Test
  @Disabled("auto-disable after 10 failures needs the delivery scheduler's clock; the webhook feature's own tests own it")
  void c43_tenConsecutiveFailuresDeactivate() {}

  @Test
  @Disabled("the delivery log order and limit need many real deliveries; the webhook feature's own tests own it")
  void c44_deliveryLogNewestFirstWithLimit() {}
}
