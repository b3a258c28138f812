package dev.delega.server.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * A webhook on the wire: the fields of {@code dev.delega.api.Webhook}, plus why and when it was
 * switched off; {@code secret} appears only when it was just created or rotated.
 */
record WebhookView(
    long id,
    Long agentId,
    String url,
    List<String> events,
    boolean active,
    int failureCount,
    Instant createdAt,
    Instant updatedAt,
    Instant disabledAt,
    String disabledReason,
    @JsonInclude(JsonInclude.Include.NON_NULL) String secret) {

  static WebhookView of(WebhookRow row, boolean showSecret) {
    return new WebhookView(
        row.id(),
        row.agentId(),
        row.url(),
        row.events(),
        row.active(),
        row.failureCount(),
        Instant.ofEpochMilli(row.createdAt()),
        Instant.ofEpochMilli(row.updatedAt()),
        row.disabledAt() == null ? null : Instant.ofEpochMilli(row.disabledAt()),
        row.disabledReason(),
        showSecret ? row.secret() : null);
  }
}
