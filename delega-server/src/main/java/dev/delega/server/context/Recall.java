package dev.delega.server.context;

import dev.delega.api.Json;
import dev.delega.api.RecallHit;
import dev.delega.api.RecallResult;
import dev.delega.server.agent.Caller;
import dev.delega.server.store.Database;
import dev.delega.server.store.Dialect;
import dev.delega.server.task.TaskAccess;
import dev.delega.server.task.TaskSearch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.statement.Query;

/**
 * Recall: a lexical search over the context values (and keys) of every task the caller may see,
 * through the full-text index of the context ledger, best match first.
 *
 * <p>Score = text relevance (a match in the key weighs twice a match in the value; BM25 on SQLite,
 * {@code ts_rank} on PostgreSQL) times the weight of the value's source: {@code human_stated} 2.0,
 * {@code agent_observed} 1.5, {@code imported} 1.2, {@code agent_inferred} 1.0. Equal scores put
 * the newer write first. Only live values, unless superseded ones are asked for; deletions never.
 * A query matching more than {@link #WINDOW} values the caller may see ranks the newest {@link
 * #WINDOW} of them, so that its cost is bounded however frequent its words are.
 */
final class Recall {
  /** The weight of each source in the ranking. */
  static final Map<String, Double> SOURCE_WEIGHTS =
      Map.of("human_stated", 2.0, "agent_observed", 1.5, "imported", 1.2, "agent_inferred", 1.0);

  /** At most this many matches, the newest, are ranked; fewer matches are all ranked. */
  static final int WINDOW = 1_000;

  private final Database db;

  Recall(Database db) {
    this.db = db;
  }

  /** The filters of one recall. */
  record Request(String query, Long projectId, String source, String key, int limit, boolean includeSuperseded) {}

  /** The source weight of the row aliased {@code alias}, as SQL. */
  private static String weight(String alias) {
    StringBuilder b = new StringBuilder("(CASE ").append(alias).append(".source");
    SOURCE_WEIGHTS.forEach((source, w) -> b.append(" WHEN '").append(source).append("' THEN ").append(w));
    return b.append(" ELSE 1.0 END)").toString();
  }

  RecallResult search(Caller caller, Request r) {
    TaskSearch.TextQuery q = TaskSearch.TextQuery.parse(r.query());
    if (q.isEmpty()) {
      return new RecallResult(r.query(), 0, List.of());
    }
    Dialect dialect = db.dialect();
    StringBuilder filters = new StringBuilder(" AND e.value IS NOT NULL");
    if (!r.includeSuperseded()) {
      filters.append(" AND e.superseded_at IS NULL");
    }
    if (r.source() != null) {
      filters.append(" AND e.source = :source");
    }
    if (r.key() != null) {
      filters.append(" AND e.key = :key");
    }
    // The task is joined inside only when a filter needs it (admins and coordinators see every task).
    List<String> onTask = new ArrayList<>();
    if (r.projectId() != null) {
      onTask.add("t.project_id = :project");
    }
    if (!caller.readsAll()) {
      onTask.add(TaskAccess.visibleSql(caller));
    }
    String taskFilter = String.join(" AND ", onTask);
    // Three steps. (1) Walk the index newest first and stop after WINDOW matches the caller may see:
    // only those are scored, so a very frequent word costs no more than WINDOW rows. (2) Score and
    // keep the best `limit`. (3) Only then fetch their tasks' content. On PostgreSQL "e.id + 0"
    // keeps the planner on the GIN index (a backward walk of the primary key, filtered by @@,
    // would read the whole table for a rare word), and the task filter is a LATERAL probe per
    // candidate, so that the planner cannot choose to hash every visible task instead.
    String candidates =
        dialect == Dialect.POSTGRES
            ? "SELECT e.id, e.key, e.value, e.source, e.task_id, e.search_tsv FROM context_entries e"
                + " CROSS JOIN websearch_to_tsquery('english', :q) AS q(query)"
                + (taskFilter.isEmpty()
                    ? ""
                    : " CROSS JOIN LATERAL (SELECT 1 FROM tasks t WHERE t.id = e.task_id AND " + taskFilter
                        + " LIMIT 1) AS v")
                + " WHERE e.search_tsv @@ q.query" + filters
                + " ORDER BY e.id + 0 DESC LIMIT :window"
            : "SELECT e.id, e.key, e.value, e.source, e.task_id,"
                + " -bm25(context_fts, 2.0, 1.0) * " + weight("e") + " AS score"
                + " FROM context_fts JOIN context_entries e ON e.id = context_fts.rowid"
                + (taskFilter.isEmpty() ? "" : " JOIN tasks t ON t.id = e.task_id")
                + " WHERE context_fts MATCH :q" + filters
                + (taskFilter.isEmpty() ? "" : " AND " + taskFilter)
                + " ORDER BY context_fts.rowid DESC LIMIT :window";
    String best =
        dialect == Dialect.POSTGRES
            ? "SELECT c.id, c.key, c.value, c.source, c.task_id,"
                + " ts_rank('{0.1, 0.2, 0.5, 1.0}', c.search_tsv, q.query) * " + weight("c") + " AS score"
                + " FROM (" + candidates + ") c CROSS JOIN websearch_to_tsquery('english', :q) AS q(query)"
                + " ORDER BY score DESC, c.id DESC LIMIT :limit"
            : "SELECT c.* FROM (" + candidates + ") c ORDER BY c.score DESC, c.id DESC LIMIT :limit";
    String sql =
        "SELECT b.key, b.value, b.source, b.task_id, t.content AS task_content, b.score"
            + " FROM (" + best + ") b JOIN tasks t ON t.id = b.task_id ORDER BY b.score DESC, b.id DESC";
    return db.read(
        h -> {
          Query query =
              h.createQuery(sql)
                  .bind("q", dialect == Dialect.POSTGRES ? q.websearch() : q.fts5())
                  .bind("project", r.projectId())
                  .bind("source", r.source())
                  .bind("key", r.key())
                  .bind("limit", r.limit())
                  .bind("window", WINDOW);
          if (caller.isAgent()) {
            query.bind("me", caller.agentId());
          }
          List<RecallHit> hits =
              query
                  .map(
                      (rs, ctx) ->
                          new RecallHit(
                              rs.getString("key"),
                              Json.mapper().readValue(rs.getString("value"), Object.class),
                              rs.getString("source"),
                              rs.getLong("task_id"),
                              rs.getString("task_content"),
                              Math.round(rs.getDouble("score") * 10_000) / 10_000.0))
                  .list();
          return new RecallResult(r.query(), hits.size(), hits);
        });
  }
}
