package dev.delega.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * A signed inbound connector that turns external events (CI, alerts, calendars) into tasks. {@code
 * secret} is present only when created or rotated.
 */
public record IngressSource(
    long id,
    String name,
    String ingestPath,
    String scheme,
    IngressTemplate template,
    List<IngressFilter> filters,
    Long defaultAssigneeAgentId,
    Long defaultProjectId,
    boolean active,
    long deliveryCount,
    Instant lastDeliveryAt,
    Instant createdAt,
    Instant updatedAt,
    @JsonInclude(JsonInclude.Include.NON_NULL) String secret) {}
