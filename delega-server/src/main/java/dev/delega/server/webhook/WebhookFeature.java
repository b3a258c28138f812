package dev.delega.server.webhook;

import dev.delega.server.Features;

/** Plugs webhooks (management, durable delivery) and the event stream into the server. */
public final class WebhookFeature {
  private WebhookFeature() {}

  /** Registers routes and starts the delivery workers. */
  public static void install(Features features) {
    // filled in by the webhook feature
  }
}
