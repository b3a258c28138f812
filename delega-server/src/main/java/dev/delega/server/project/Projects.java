package dev.delega.server.project;

import dev.delega.api.Project;
import dev.delega.server.agent.Caller;
import dev.delega.server.internal.DelegaException;
import dev.delega.server.internal.Fields;
import dev.delega.server.store.Database;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Projects group tasks. Every agent may list and read them (to file its tasks and filter the claim
 * queue); admins and coordinators create, change and delete them.
 */
public final class Projects {
  private final Database db;
  private final Clock clock;

  public Projects(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  private static void requireManager(Caller caller, String verb) {
    if (!caller.isAdmin() && !"coordinator".equals(caller.role())) {
      throw new DelegaException.Forbidden("Only admin or coordinator agent keys can " + verb + " projects");
    }
  }

  private static Project map(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Project(
        rs.getLong("id"),
        rs.getString("name"),
        rs.getString("emoji"),
        rs.getString("color"),
        rs.getInt("sort_order"),
        Instant.ofEpochMilli(rs.getLong("created_at")),
        Instant.ofEpochMilli(rs.getLong("updated_at")));
  }

  private static Project load(Handle h, long id) {
    return h.createQuery("SELECT * FROM projects WHERE id = ?")
        .bind(0, id)
        .map((rs, ctx) -> map(rs))
        .findOne()
        .orElseThrow(() -> new DelegaException.NotFound("Project not found"));
  }

  public List<Project> list(Caller caller) {
    return db.read(
        h -> h.createQuery("SELECT * FROM projects ORDER BY sort_order, id").map((rs, ctx) -> map(rs)).list());
  }

  public Project get(Caller caller, long id) {
    return db.read(h -> load(h, id));
  }

  public Project create(Caller caller, Fields body) {
    requireManager(caller, "create");
    String name = body.requiredText("name", 200);
    String emoji = body.text("emoji", 16);
    String color = color(body);
    Integer sort = body.integer("sort_order", -1_000_000, 1_000_000);
    long now = clock.millis();
    return db.write(
        tx -> {
          long id =
              tx.handle()
                  .createQuery(
                      "INSERT INTO projects (name, emoji, color, sort_order, created_at, updated_at)"
                          + " VALUES (?, ?, ?, ?, ?, ?) RETURNING id")
                  .bind(0, name.trim())
                  .bind(1, emoji)
                  .bind(2, color)
                  .bind(3, sort == null ? 0 : sort)
                  .bind(4, now)
                  .bind(5, now)
                  .mapTo(Long.class)
                  .one();
          return load(tx.handle(), id);
        });
  }

  private static String color(Fields body) {
    String color = body.text("color", 32);
    if (color != null && !color.matches("#?[0-9A-Za-z]{1,31}")) {
      throw new DelegaException.ValidationFailed("color must be a colour name or hex like #ff8800");
    }
    return color;
  }

  public Project update(Caller caller, long id, Fields body) {
    requireManager(caller, "update");
    if (body.isNull("name")) {
      throw new DelegaException.ValidationFailed("name cannot be null");
    }
    String name = body.has("name") ? body.requiredText("name", 200).trim() : null;
    String emoji = body.text("emoji", 16);
    String color = color(body);
    Integer sort = body.integer("sort_order", -1_000_000, 1_000_000);
    long now = clock.millis();
    return db.write(
        tx -> {
          Project p = load(tx.handle(), id);
          tx.handle()
              .createUpdate("UPDATE projects SET name = ?, emoji = ?, color = ?, sort_order = ?, updated_at = ? WHERE id = ?")
              .bind(0, name != null ? name : p.name())
              .bind(1, body.has("emoji") ? emoji : p.emoji())
              .bind(2, body.has("color") ? color : p.color())
              .bind(3, sort != null ? sort : p.sortOrder())
              .bind(4, now)
              .bind(5, id)
              .execute();
          return load(tx.handle(), id);
        });
  }

  /** Deletes a project; its tasks stay, without a project. */
  public void delete(Caller caller, long id) {
    requireManager(caller, "delete");
    db.write(
        tx -> {
          load(tx.handle(), id);
          tx.handle().createUpdate("UPDATE tasks SET project_id = NULL WHERE project_id = ?").bind(0, id).execute();
          tx.handle().createUpdate("DELETE FROM projects WHERE id = ?").bind(0, id).execute();
          return null;
        });
  }
}
