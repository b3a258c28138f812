package dev.delega.server.task;

import dev.delega.server.store.Dialect;
import java.util.Locale;
import java.util.Map;

/** The full-text {@code search} filter of {@code GET /tasks} on a task's content and description. */
public final class TaskSearch {
  private TaskSearch() {}

  /** A SQL condition on alias {@code t} matching {@code query}; adds its binds to {@code binds}. */
  public static String condition(Dialect dialect, String query, Map<String, Object> binds) {
    binds.put("search", "%" + Tasks.likeEscape(query.trim().toLowerCase(Locale.ROOT)) + "%");
    return "(LOWER(t.content) LIKE :search ESCAPE '\\' OR LOWER(COALESCE(t.description, '')) LIKE :search ESCAPE '\\')";
  }

  /** An ORDER BY expression ranking matches best first, or null to keep the default order. */
  public static String rank(Dialect dialect) {
    return null;
  }
}
