package dev.delega.api;

import java.time.Instant;
import java.util.List;

/**
 * A recurring task template that spawns one task per occurrence: {@code rule_type} is one of {@code
 * daily, weekly, monthly, yearly}, every {@code interval} periods, anchored in an IANA {@code
 * timezone}; {@code anchor_weekday} counts Sunday as 0.
 */
public record Recurrence(
    long id,
    String content,
    String description,
    Long projectId,
    List<String> labels,
    Integer priority,
    String ruleType,
    int interval,
    Integer anchorMonth,
    Integer anchorDay,
    Integer anchorWeekday,
    String timezone,
    Instant nextDueAt,
    Instant lastSpawnedAt,
    Long lastSpawnedTaskId,
    boolean active,
    boolean skipIfOpen,
    Long assignedToAgentId,
    AgentRef assignedToAgent,
    Long createdByAgentId,
    AgentRef createdByAgent,
    Instant createdAt,
    Instant updatedAt) {}
