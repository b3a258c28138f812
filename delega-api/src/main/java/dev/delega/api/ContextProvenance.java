package dev.delega.api;

import java.time.Instant;

/**
 * Where the current value of one context key came from: {@code source} is one of {@code
 * human_stated, agent_inferred, agent_observed, imported}.
 */
public record ContextProvenance(
    String source, Long version, String authorName, Long authorAgentId, Instant createdAt) {}
