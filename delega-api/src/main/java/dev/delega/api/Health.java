package dev.delega.api;

import java.time.Instant;

/** The answer of {@code GET /health}. */
public record Health(boolean ok, String service, String status, String version, Instant timestamp) {}
