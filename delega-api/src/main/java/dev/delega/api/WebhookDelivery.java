package dev.delega.api;

import java.time.Instant;
import java.util.Map;

/**
 * One delivery of one event to one webhook. {@code id} is stable across retries (it is the {@code
 * X-Delega-Delivery} and {@code webhook-id} header); {@code status} is {@code pending}, {@code
 * delivered} or {@code failed}; {@code status_code} is null when no HTTP answer came back.
 */
public record WebhookDelivery(
    String id,
    long webhookId,
    String event,
    Long eventId,
    Map<String, Object> payload,
    String status,
    Integer statusCode,
    boolean success,
    int attempts,
    String error,
    Instant createdAt,
    Instant lastAttemptAt,
    Instant nextAttemptAt) {}
