package dev.delega.api;

import java.time.Instant;

/**
 * One write of one context key in the append-only history; {@code superseded_at} is set once a
 * later write replaced it, and {@code value} is null for a deletion.
 */
public record ContextHistoryEntry(
    Long id,
    String key,
    Object value,
    String source,
    Long version,
    String authorName,
    Long authorAgentId,
    Instant createdAt,
    Instant supersededAt) {}
