package dev.delega.server.claim;

import dev.delega.api.Task;
import dev.delega.server.agent.Caller;
import dev.delega.server.store.Database;
import dev.delega.server.store.Dialect;
import dev.delega.server.task.TaskAccess;
import dev.delega.server.task.TaskRow;
import dev.delega.server.task.TaskView;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * {@code GET /fleet/attention}: the not-completed tasks the caller may see that need a look, in six
 * buckets, each a rule in SQL over the task row and the claim log. {@code count} is the number of
 * distinct tasks in any bucket; each bucket lists its first tasks, most pressing first.
 */
final class FleetBoard {
  /** How far back "looping" looks. */
  static final Duration LOOP_WINDOW = Duration.ofHours(1);

  /** Releases (or re-claims) within the window that make a task "looping". */
  static final int LOOP_THRESHOLD = 3;

  /** One bucket: its wire name, its rule, and its order. */
  enum Bucket {
    /** A lease ran out and nothing has happened to the task since (swept or not yet). */
    ABANDONED_CLAIMS(
        "abandoned_claims",
        "((t.claimed_by_agent_id IS NOT NULL AND t.lease_expires_at <= :now)"
            + " OR (t.claimed_by_agent_id IS NULL AND EXISTS (SELECT 1 FROM task_claims c"
            + " WHERE c.task_id = t.id AND c.action = 'expired' AND c.happened_at >= t.updated_at"
            + " AND c.id = (SELECT MAX(c2.id) FROM task_claims c2 WHERE c2.task_id = t.id))))",
        "t.priority DESC, t.updated_at, t.id"),
    /** Held, but no heartbeat (or claim) for half the lease or more. */
    SILENT_HOLDERS(
        "silent_holders",
        "(t.claimed_by_agent_id IS NOT NULL AND t.lease_expires_at > :now"
            + " AND t.last_heartbeat_at IS NOT NULL AND t.last_heartbeat_at + t.lease_expires_at <= :twice_now)",
        "t.last_heartbeat_at, t.id"),
    /** The holder reported an error, or the task was abandoned too often. */
    ERRORED("errored", "t.session_state = 'errored'", "t.priority DESC, t.updated_at, t.id"),
    /** Waiting for an answer. */
    WAITING_INPUT(
        "waiting_input",
        "(t.status = 'waiting_input' OR t.session_state = 'waiting_input')",
        "t.updated_at, t.id"),
    /** The due date has passed (in {@code DELEGA_TIMEZONE}). */
    OVERDUE("overdue", "(t.due_date IS NOT NULL AND t.due_date < :today)", "t.due_date, t.priority DESC, t.id"),
    /** Released, or re-claimed, 3 times or more within the last hour. */
    LOOPING(
        "looping",
        "t.id IN (SELECT c.task_id FROM task_claims c WHERE c.happened_at >= :loop_since"
            + " AND c.action IN ('released', 'reclaimed') GROUP BY c.task_id"
            + " HAVING SUM(CASE WHEN c.action = 'released' THEN 1 ELSE 0 END) >= " + LOOP_THRESHOLD
            + " OR SUM(CASE WHEN c.action = 'reclaimed' THEN 1 ELSE 0 END) >= " + LOOP_THRESHOLD + ")",
        "t.updated_at DESC, t.id");

    private final String wire;
    private final String rule;
    private final String order;

    Bucket(String wire, String rule, String order) {
      this.wire = wire;
      this.rule = rule;
      this.order = order;
    }

    String wire() {
      return wire;
    }
  }

  private final Database db;
  private final Clock clock;
  private final ZoneId zone;

  FleetBoard(Database db, Clock clock, ZoneId zone) {
    this.db = db;
    this.clock = clock;
    this.zone = zone;
  }

  /** The board for {@code caller}: {@code {count, buckets, totals}}, at most {@code perBucket} tasks each. */
  Map<String, Object> board(Caller caller, int perBucket) {
    return db.read(
        h -> {
          long now = clock.millis();
          Map<String, Object> binds = new HashMap<>();
          binds.put("now", now);
          binds.put("twice_now", 2 * now);
          binds.put("today", LocalDate.now(clock.withZone(zone)).toString());
          binds.put("loop_since", now - LOOP_WINDOW.toMillis());
          if (caller.isAgent()) {
            binds.put("me", caller.agentId());
          }
          String scope = "t.completed = FALSE AND " + TaskAccess.visibleSql(caller);
          String any =
              Stream.of(Bucket.values()).map(b -> b.rule).collect(Collectors.joining(" OR ", "(", ")"));
          long count = count(h, scope + " AND " + any, binds);
          Map<String, List<Task>> buckets = new LinkedHashMap<>();
          Map<String, Long> totals = new LinkedHashMap<>();
          for (Bucket b : Bucket.values()) {
            String where = scope + " AND " + b.rule;
            Query q =
                h.createQuery(
                    "SELECT " + TaskRow.packed(Dialect.of(h)) + " FROM tasks t WHERE " + where + " ORDER BY " + b.order
                        + " LIMIT :limit");
            binds.forEach(q::bind);
            q.bind("limit", perBucket);
            buckets.put(b.wire(), TaskView.render(h, q.map((rs, ctx) -> TaskRow.map(rs)).list()));
            totals.put(b.wire(), count(h, where, binds));
          }
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("count", count);
          out.put("buckets", buckets);
          out.put("totals", totals);
          return out;
        });
  }

  private static long count(Handle h, String where, Map<String, Object> binds) {
    Query q = h.createQuery("SELECT COUNT(*) FROM tasks t WHERE " + where);
    binds.forEach(q::bind);
    return q.mapTo(Long.class).one();
  }
}
