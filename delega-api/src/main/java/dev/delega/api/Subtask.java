package dev.delega.api;

import java.time.Instant;

/** A checklist item inside a task (not a delegated child). */
public record Subtask(
    long id, long taskId, String content, boolean completed, int sortOrder, Instant createdAt) {}
