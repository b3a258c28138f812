package dev.delega.api;

import java.time.Instant;

/** A comment on a task; {@code author_agent_id} is the authenticated agent, {@code author} a display hint. */
public record Comment(
    long id, long taskId, String content, String author, Long authorAgentId, Instant createdAt) {}
