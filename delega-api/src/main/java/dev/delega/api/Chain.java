package dev.delega.api;

import java.util.List;

/** A delegation tree: its root and every member the caller may see, ordered by depth then age. */
public record Chain(
    Task root, long rootId, List<Task> chain, int depth, int completedCount, int totalCount) {}
