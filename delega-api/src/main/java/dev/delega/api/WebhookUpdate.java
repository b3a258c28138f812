package dev.delega.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.List;
import java.util.Map;

/** The body of {@code PUT /webhooks/{id}}: only the fields that were set are sent. */
public final class WebhookUpdate extends FieldUpdate<WebhookUpdate> {
  /** An empty update; add fields with the setters. */
  public WebhookUpdate() {}

  private WebhookUpdate(Map<String, ?> fields) {
    super(fields);
  }

  /** A new, empty update. */
  public static WebhookUpdate create() {
    return new WebhookUpdate();
  }

  /** An update holding the given snake_case wire fields. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static WebhookUpdate of(Map<String, ?> fields) {
    return new WebhookUpdate(fields);
  }

  /** Sets {@code url}. */
  public WebhookUpdate url(String url) {
    return set("url", url);
  }

  /** Sets {@code events}. */
  public WebhookUpdate events(List<String> events) {
    return set("events", events);
  }

  /** Sets {@code secret}; null removes it (deliveries are then unsigned). */
  public WebhookUpdate secret(String secret) {
    return set("secret", secret);
  }

  /** Sets {@code active}; re-activating also resets the failure count. */
  public WebhookUpdate active(Boolean active) {
    return set("active", active);
  }
}
