package dev.delega.api;

import java.time.Instant;
import java.util.List;

/** A when-then rule: on {@code event}, if every condition holds, run the actions in order. */
public record Automation(
    long id,
    String name,
    String event,
    List<AutomationCondition> conditions,
    List<AutomationAction> actions,
    boolean active,
    long runCount,
    long failureCount,
    Instant lastRunAt,
    String lastError,
    Long createdByAgentId,
    Instant createdAt,
    Instant updatedAt) {}
