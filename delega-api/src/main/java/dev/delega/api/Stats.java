package dev.delega.api;

import java.util.Map;

/**
 * Counters over the tasks the caller may see: the union of what every official client reads
 * ({@code total} and {@code total_tasks} are the same number).
 */
public record Stats(
    long total,
    long totalTasks,
    long completedTasks,
    long pendingTasks,
    long totalCompleted,
    long completedToday,
    long dueToday,
    long overdue,
    long upcoming,
    Map<String, Long> byProject,
    long totalAgents,
    long activeAgents) {}
