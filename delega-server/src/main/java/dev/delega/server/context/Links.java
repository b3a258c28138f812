package dev.delega.server.context;

import dev.delega.api.TaskLink;
import dev.delega.server.agent.Caller;
import dev.delega.server.internal.DelegaException;
import dev.delega.server.internal.Fields;
import dev.delega.server.store.Database;
import dev.delega.server.task.TaskChanges;
import dev.delega.server.task.Tasks;
import java.net.URI;
import java.net.URISyntaxException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Links from a task to code ({@code branch, commit, pr, url}): listing them, and adding one, which
 * bumps the task's version and appends a {@code task.linked} event. Adding a link the task already
 * has changes nothing and answers the existing link.
 */
final class Links {
  static final Set<String> KINDS = Set.of("branch", "commit", "pr", "url");

  /** Most links one task may carry. */
  static final int MAX_PER_TASK = 200;

  private static final String COLUMNS = "id, task_id, kind, repo, ref, url, created_at";

  private final Database db;
  private final Tasks tasks;
  private final Clock clock;

  Links(Database db, Tasks tasks, Clock clock) {
    this.db = db;
    this.tasks = tasks;
    this.clock = clock;
  }

  /** The links of a task the caller may see, oldest first. */
  List<TaskLink> list(Caller caller, long taskId) {
    return db.read(
        h -> {
          Tasks.visible(caller, h, taskId);
          return h.createQuery("SELECT " + COLUMNS + " FROM task_links WHERE task_id = ? ORDER BY id")
              .bind(0, taskId)
              .map((rs, ctx) -> link(rs))
              .list();
        });
  }

  /** Adds a link; returns it (or the identical link the task already had). */
  TaskLink add(Caller caller, long taskId, Fields body) {
    String kind = body.requiredText("kind", 16).toLowerCase(Locale.ROOT);
    if (!KINDS.contains(kind)) {
      throw new DelegaException.ValidationFailed("kind must be one of branch, commit, pr, url (got '" + kind + "')");
    }
    String repo = blankToNull(body.text("repo", 300));
    String url = blankToNull(body.text("url", 2000));
    String ref = blankToNull(body.text("ref", 500));
    if (url != null) {
      checkUrl(url);
    }
    if (ref == null) {
      if (url == null) {
        throw new DelegaException.ValidationFailed("ref is required (a branch name, commit sha, PR number or URL)");
      }
      ref = url;
    }
    String finalRef = ref;
    return db.write(
        tx -> {
          Handle h = tx.handle();
          Tasks.modifiable(caller, h, taskId);
          TaskLink existing =
              h.createQuery(
                      "SELECT " + COLUMNS + " FROM task_links WHERE task_id = :task AND kind = :kind"
                          + " AND COALESCE(repo, '') = :repo AND ref = :ref AND COALESCE(url, '') = :url")
                  .bind("task", taskId)
                  .bind("kind", kind)
                  .bind("repo", repo == null ? "" : repo)
                  .bind("ref", finalRef)
                  .bind("url", url == null ? "" : url)
                  .map((rs, ctx) -> link(rs))
                  .findOne()
                  .orElse(null);
          if (existing != null) {
            return existing;
          }
          long count =
              h.createQuery("SELECT COUNT(*) FROM task_links WHERE task_id = ?").bind(0, taskId).mapTo(Long.class).one();
          if (count >= MAX_PER_TASK) {
            throw new DelegaException.ValidationFailed("task " + taskId + " already has " + MAX_PER_TASK + " links");
          }
          long now = clock.millis();
          long id =
              h.createQuery(
                      "INSERT INTO task_links (task_id, kind, repo, ref, url, created_by_agent_id, created_at)"
                          + " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id")
                  .bind(0, taskId)
                  .bind(1, kind)
                  .bind(2, repo)
                  .bind(3, finalRef)
                  .bind(4, url)
                  .bind(5, caller.agentId())
                  .bind(6, now)
                  .mapTo(Long.class)
                  .one();
          Tasks.write(h, taskId, new TaskChanges(), now);
          Map<String, Object> link = new LinkedHashMap<>();
          link.put("id", id);
          link.put("kind", kind);
          link.put("repo", repo);
          link.put("ref", finalRef);
          link.put("url", url);
          Map<String, Object> change = new LinkedHashMap<>();
          change.put("before", null);
          change.put("after", link);
          tasks.emit(tx, "task.linked", taskId, caller, Map.of("link", change));
          return new TaskLink(id, taskId, kind, repo, finalRef, url, Instant.ofEpochMilli(now));
        });
  }

  private static void checkUrl(String url) {
    try {
      URI u = new URI(url);
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
        throw new DelegaException.ValidationFailed("url must be an absolute http(s) URL (got '" + url + "')");
      }
    } catch (URISyntaxException e) {
      throw new DelegaException.ValidationFailed("url must be an absolute http(s) URL (got '" + url + "')");
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  private static TaskLink link(ResultSet rs) throws SQLException {
    return new TaskLink(
        rs.getLong("id"),
        rs.getLong("task_id"),
        rs.getString("kind"),
        rs.getString("repo"),
        rs.getString("ref"),
        rs.getString("url"),
        Instant.ofEpochMilli(rs.getLong("created_at")));
  }
}
