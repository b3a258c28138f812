package dev.delega.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A task, with everything any official client reads: flat {@code *_agent_id} fields and the nested
 * {@code *_agent} objects side by side, chain fields, claim and lease state, and the {@code version}
 * that is also the task's ETag.
 */
public record Task(
    long id,
    String content,
    String description,
    Long projectId,
    ProjectRef project,
    String dueDate,
    String dueTime,
    int priority,
    List<String> labels,
    String status,
    boolean completed,
    Instant completedAt,
    Instant createdAt,
    Instant updatedAt,
    Long createdByAgentId,
    AgentRef createdByAgent,
    Long assignedToAgentId,
    AgentRef assignedToAgent,
    Long completedByAgentId,
    AgentRef completedByAgent,
    Long accountableAgentId,
    AgentRef accountableAgent,
    Long delegatedByAgentId,
    AgentRef delegatedByAgent,
    Long parentTaskId,
    Long rootTaskId,
    int delegationDepth,
    Map<String, Object> context,
    long contextVersion,
    List<Subtask> subtasks,
    String recurringType,
    Integer recurringInterval,
    String recurringString,
    boolean isRecurring,
    Instant reminderTime,
    boolean reminderSent,
    String evidencePolicy,
    List<Evidence> completionEvidence,
    Long claimedByAgentId,
    AgentRef claimedByAgent,
    Instant claimedAt,
    String sessionState,
    String sessionStateDetail,
    Instant leaseExpiresAt,
    Long leaseToken,
    String handoffNote,
    String handoffState,
    Long handoffByAgentId,
    AgentRef handoffByAgent,
    int attempts,
    List<Long> blockedBy,
    String nextOccurrence,
    Long sourceIngressId,
    long version) {}
