package dev.delega.api;

import java.util.List;

/** The answer of {@code GET /context/search}: best match first. */
public record RecallResult(String query, int count, List<RecallHit> results) {}
