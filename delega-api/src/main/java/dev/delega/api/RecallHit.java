package dev.delega.api;

/** One context value found by {@code GET /context/search}, with the task it belongs to. */
public record RecallHit(
    String key, Object value, String source, Long taskId, String taskContent, double score) {}
