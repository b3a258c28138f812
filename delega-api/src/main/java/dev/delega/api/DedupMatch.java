package dev.delega.api;

/** One open task that looks like the text being checked. */
public record DedupMatch(long taskId, String content, double score) {}
