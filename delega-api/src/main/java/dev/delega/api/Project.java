package dev.delega.api;

import java.time.Instant;

/** A project that groups tasks. */
public record Project(
    long id,
    String name,
    String emoji,
    String color,
    int sortOrder,
    Instant createdAt,
    Instant updatedAt) {}
