package dev.delega.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * An agent identity. {@code api_key} is present only in the answer to create and rotate-key, the one
 * time a key is ever shown; {@code open_task_count} only on the agent endpoints.
 */
public record Agent(
    long id,
    String name,
    String displayName,
    String description,
    String role,
    List<String> permissions,
    boolean isAdmin,
    boolean active,
    Instant createdAt,
    Instant updatedAt,
    Instant lastSeenAt,
    @JsonInclude(JsonInclude.Include.NON_NULL) Integer openTaskCount,
    @JsonInclude(JsonInclude.Include.NON_NULL) String apiKey,
    @JsonInclude(JsonInclude.Include.NON_NULL) String keyPrefix) {}
