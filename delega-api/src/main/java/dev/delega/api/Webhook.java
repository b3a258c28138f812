package dev.delega.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * A webhook subscription owned by an agent. {@code secret} is present only in the answer to create,
 * the one time it is shown; {@code failure_count} counts consecutive failed deliveries (ten disable
 * it).
 */
public record Webhook(
    long id,
    Long agentId,
    String url,
    List<String> events,
    boolean active,
    int failureCount,
    Instant createdAt,
    Instant updatedAt,
    @JsonInclude(JsonInclude.Include.NON_NULL) String secret) {}
