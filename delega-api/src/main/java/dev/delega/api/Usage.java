package dev.delega.api;

/** Plan and counts of a self-hosted server: every limit is null (unlimited). */
public record Usage(
    String plan,
    long taskCount,
    long taskCountMonth,
    long tasksThisMonth,
    Long taskLimit,
    Long limit,
    String resetDate,
    long agentCount,
    Long agentLimit,
    long webhookCount,
    Long webhookLimit,
    long projectCount,
    Long projectLimit,
    Long rateLimitRpm,
    int maxContentChars) {}
