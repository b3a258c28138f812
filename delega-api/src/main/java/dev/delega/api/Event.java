package dev.delega.api;

import java.time.Instant;
import java.util.Map;

/**
 * One entry of the append-only event log: what happened to which task, who did it and when.
 * {@code changes} maps each changed field to {@code {before, after}}; {@code task} is the task as
 * it was right after the change (as it was before, for {@code task.deleted}).
 */
public record Event(
    long id,
    String type,
    Long taskId,
    Long actorAgentId,
    AgentRef actor,
    Instant createdAt,
    Map<String, Object> changes,
    Map<String, Object> task) {}
