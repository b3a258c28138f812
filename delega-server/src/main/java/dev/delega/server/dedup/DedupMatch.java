package dev.delega.server.dedup;

/**
 * One open task that a new text probably duplicates.
 *
 * @param taskId the indexed task
 * @param score similarity in [0, 1], rounded to 3 decimals
 */
public record DedupMatch(long taskId, double score) {}
