package dev.delega.api;

import java.time.Instant;

/** A link from a task to code: {@code kind} is one of {@code branch, commit, pr, url}. */
public record TaskLink(
    Long id, Long taskId, String kind, String repo, String ref, String url, Instant createdAt) {}
