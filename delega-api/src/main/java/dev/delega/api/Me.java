package dev.delega.api;

/** The answer of {@code GET /agent/me}. */
public record Me(Agent agent) {}
