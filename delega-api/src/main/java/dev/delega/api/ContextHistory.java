package dev.delega.api;

import java.util.List;

/**
 * One page of {@code GET /tasks/{id}/context/history}, newest first; pass {@code next_cursor} back
 * as {@code cursor} for the next page (null when there is none).
 */
public record ContextHistory(List<ContextHistoryEntry> entries, String nextCursor) {}
