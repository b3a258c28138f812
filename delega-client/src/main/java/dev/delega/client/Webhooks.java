package dev.delega.client;

import dev.delega.api.NewWebhook;
import dev.delega.api.Webhook;
import dev.delega.api.WebhookDelivery;
import dev.delega.api.WebhookUpdate;
import java.util.List;
import tools.jackson.core.type.TypeReference;

/**
 * The webhook endpoints, including the delivery log. Obtain it from {@link
 * DelegaClient#webhooks()}.
 */
public final class Webhooks {
  private static final TypeReference<List<Webhook>> WEBHOOKS = new TypeReference<>() {};
  private static final TypeReference<List<WebhookDelivery>> DELIVERIES = new TypeReference<>() {};

  private final HttpTransport transport;

  Webhooks(HttpTransport transport) {
    this.transport = transport;
  }

  /** {@code GET /webhooks}. */
  public List<Webhook> list() {
    return transport.call("GET", "/webhooks", null, WEBHOOKS);
  }

  /** {@code POST /webhooks}; the answer carries the secret, shown this once. */
  public Webhook create(NewWebhook webhook) {
    return transport.call("POST", "/webhooks", webhook, Webhook.class);
  }

  /** {@code GET /webhooks/{id}}. */
  public Webhook get(long id) {
    return transport.call("GET", "/webhooks/" + id, null, Webhook.class);
  }

  /** {@code PUT /webhooks/{id}}: a partial update. */
  public Webhook update(long id, WebhookUpdate update) {
    return transport.call("PUT", "/webhooks/" + id, update, Webhook.class);
  }

  /** {@code DELETE /webhooks/{id}}. */
  public void delete(long id) {
    transport.run("DELETE", "/webhooks/" + id, null, RequestOptions.none());
  }

  /** {@code POST /webhooks/{id}/test}: queues a {@code webhook.test} delivery and answers it. */
  public WebhookDelivery test(long id) {
    return transport.call("POST", "/webhooks/" + id + "/test", null, WebhookDelivery.class);
  }

  /** {@code GET /webhooks/{id}/deliveries}, newest first. */
  public List<WebhookDelivery> deliveries(long id) {
    return transport.call("GET", "/webhooks/" + id + "/deliveries", null, DELIVERIES);
  }

  /** {@code GET /webhooks/{id}/deliveries?limit=}. */
  public List<WebhookDelivery> deliveries(long id, int limit) {
    return transport.call(
        "GET", "/webhooks/" + id + "/deliveries?limit=" + limit, null, DELIVERIES);
  }

  /**
   * {@code POST /webhooks/{id}/deliveries/{deliveryId}/redeliver}: sends a delivery again, with the
   * same delivery id.
   */
  public WebhookDelivery redeliver(long webhookId, String deliveryId) {
    return transport.call(
        "POST",
        "/webhooks/" + webhookId + "/deliveries/" + Query.encode(deliveryId) + "/redeliver",
        null,
        WebhookDelivery.class);
  }
}
