package dev.delega.server.webhook;

import dev.delega.server.http.Api;
import dev.delega.server.http.Http;
import dev.delega.server.internal.DelegaException;
import java.util.Map;

/** The {@code /webhooks} routes: management, test ping, delivery log and redelivery. */
final class WebhookRoutes {
  private static final int DEFAULT_DELIVERIES = 20;
  private static final int MAX_DELIVERIES = 500;

  private final Webhooks webhooks;

  WebhookRoutes(Webhooks webhooks) {
    this.webhooks = webhooks;
  }

  void register(Api api) {
    String t = "webhooks";
    api.get(
        "/webhooks",
        "List webhooks (your own; admins see all)",
        t,
        ctx -> Http.ok(ctx, webhooks.list(Http.caller(ctx))));
    api.post(
        "/webhooks",
        "Create a webhook for your own events; the secret (generated when not given) is returned"
            + " this once",
        t,
        ctx -> {
          WebhookView created = webhooks.create(Http.caller(ctx), Http.body(ctx));
          ctx.header("Location", ctx.path() + "/" + created.id());
          Http.json(ctx, 201, created);
        });
    api.get(
        "/webhooks/{id}",
        "Get a webhook",
        t,
        ctx -> Http.ok(ctx, webhooks.get(Http.caller(ctx), Http.id(ctx, "id"))));
    api.put(
        "/webhooks/{id}",
        "Update url, events, active (true also resets failure_count) or secret (null rotates it)",
        t,
        ctx -> Http.ok(ctx, webhooks.update(Http.caller(ctx), Http.id(ctx, "id"), Http.body(ctx))));
    api.patch(
        "/webhooks/{id}",
        "Update a webhook (same as PUT)",
        t,
        ctx -> Http.ok(ctx, webhooks.update(Http.caller(ctx), Http.id(ctx, "id"), Http.body(ctx))));
    api.delete(
        "/webhooks/{id}",
        "Delete a webhook and its delivery log",
        t,
        ctx -> {
          long id = Http.id(ctx, "id");
          webhooks.delete(Http.caller(ctx), id);
          Http.ok(ctx, Map.of("ok", true, "deleted", id));
        });
    api.post(
        "/webhooks/{id}/test",
        "Send a signed webhook.test ping now and answer the delivery",
        t,
        ctx -> Http.ok(ctx, webhooks.test(Http.caller(ctx), Http.id(ctx, "id"))));
    api.get(
        "/webhooks/{id}/deliveries",
        "The delivery log, newest first: ?limit= (1-500, default 20),"
            + " ?status=pending|delivered|failed",
        t,
        ctx -> {
          Integer limit = Http.queryInt(ctx, "limit", 1, MAX_DELIVERIES);
          String status = ctx.queryParam("status");
          Http.ok(
              ctx,
              webhooks.deliveries(
                  Http.caller(ctx),
                  Http.id(ctx, "id"),
                  limit == null ? DEFAULT_DELIVERIES : limit,
                  status == null || status.isBlank() ? null : status.strip()));
        });
    api.post(
        "/webhooks/{id}/deliveries/{deliveryId}/redeliver",
        "Send a delivery again now, with the same delivery id",
        t,
        ctx -> {
          String deliveryId = ctx.pathParam("deliveryId");
          if (!deliveryId.matches("dlv_[0-9a-f]{32}")) {
            throw new DelegaException.NotFound("Delivery not found");
          }
          Http.ok(ctx, webhooks.redeliver(Http.caller(ctx), Http.id(ctx, "id"), deliveryId));
        });
  }
}
