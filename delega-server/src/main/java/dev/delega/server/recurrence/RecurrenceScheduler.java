package dev.delega.server.recurrence;

import dev.delega.api.Json;
import dev.delega.api.Task;
import dev.delega.server.agent.Caller;
import dev.delega.server.automation.TaskSources;
import dev.delega.server.internal.DelegaException;
import dev.delega.server.store.Database;
import dev.delega.server.store.Tx;
import dev.delega.server.task.Tasks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Spawns one task per due recurrence occurrence, exactly once even when several server nodes share
 * one PostgreSQL database, and once (for the latest missed occurrence) after downtime.
 *
 * <h2>Design note</h2>
 *
 * <p>Each due recurrence is handled in its own write transaction that (1) locks the row ({@code
 * FOR UPDATE} on PostgreSQL: a node that finds another one busy with it waits for that commit and
 * then sees the row no longer due, so when {@link #runDueOnce()} returns, every occurrence due at
 * its start is committed, whoever spawned it), (2) plans with {@link CatchUp#LATEST_ONLY}, (3)
 * moves {@code next_due_at} with a compare-and-set on the value it read ({@code WHERE id = ? AND
 * next_due_at = ?}) and stops when no row changed, and (4) creates the task in the same
 * transaction. The spawned task carries {@code
 * source_recurrence_id} and {@code source_occurrence_at} under a unique index, a second fence that
 * no scheduler bug can get past. A node that crashes before commit leaves {@code next_due_at}
 * unchanged, so the occurrence is spawned by the next tick of any node.
 *
 * <p>{@code skip_if_open}: while the task spawned last is still open, the occurrence advances
 * {@code next_due_at} and spawns nothing. A spawned task is created by the recurrence's creator
 * (the permission to assign was checked when the recurrence was saved); an assignee or project that
 * no longer exists or is deactivated is dropped rather than blocking the occurrence.
 */
public final class RecurrenceScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RecurrenceScheduler.class);
  private static final int BATCH = 200;
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final Database db;
  private final Tasks tasks;
  private final Clock clock;
  private final AtomicLong spawnedTotal = new AtomicLong();
  private final AtomicLong lastTickAt = new AtomicLong(-1);
  private volatile String lastError;
  private ScheduledFuture<?> loop;

  /** A scheduler over {@code db} that creates tasks with {@code tasks}, reading time from {@code clock}. */
  public RecurrenceScheduler(Database db, Tasks tasks, Clock clock) {
    this.db = db;
    this.tasks = tasks;
    this.clock = clock;
  }

  /** Runs {@link #runDueOnce()} on {@code executor} every {@code interval}, until {@link #close()}. */
  public synchronized void start(ScheduledExecutorService executor, Duration interval) {
    if (loop != null) {
      throw new IllegalStateException("already started");
    }
    long ms = Math.max(1, interval.toMillis());
    loop = executor.scheduleWithFixedDelay(this::tick, ms, ms, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    try {
      runDueOnce();
      lastError = null;
    } catch (RuntimeException e) {
      lastError = String.valueOf(e.getMessage());
      LOG.warn("recurrence scheduler tick failed", e);
    }
  }

  /**
   * Spawns every occurrence due at the clock's current time, once; safe to call from several threads
   * and nodes at the same time.
   *
   * @return the number of tasks this call spawned (occurrences spawned by others are not counted)
   */
  public int runDueOnce() {
    Instant now = clock.instant();
    lastTickAt.set(now.toEpochMilli());
    int spawned = 0;
    long afterId = 0;
    while (true) {
      long cursor = afterId;
      List<Long> due =
          db.read(
              h ->
                  h.createQuery(
                          "SELECT id FROM recurrences WHERE active = TRUE AND next_due_at <= :now"
                              + " AND id > :after ORDER BY id LIMIT " + BATCH)
                      .bind("now", now.toEpochMilli())
                      .bind("after", cursor)
                      .mapTo(Long.class)
                      .list());
      for (long id : due) {
        if (spawnDue(id, now) == Outcome.SPAWNED) {
          spawned++;
        }
        afterId = id;
      }
      if (due.size() < BATCH) {
        break;
      }
    }
    spawnedTotal.addAndGet(spawned);
    return spawned;
  }

  /** What happened to one due recurrence. */
  enum Outcome {
    SPAWNED,
    SKIPPED_OPEN,
    ALREADY_SPAWNED,
    NOT_DUE
  }

  Outcome spawnDue(long id, Instant now) {
    try {
      return db.write(tx -> spawn(tx, id, now, true));
    } catch (DelegaException.ValidationFailed e) {
      // The stored template no longer makes a valid task: move on rather than retry forever.
      LOG.warn("recurrence {} could not spawn its occurrence and skips it: {}", id, e.getMessage());
      return db.write(tx -> spawn(tx, id, now, false));
    }
  }

  private Outcome spawn(Tx tx, long id, Instant now, boolean createTask) {
    Handle h = tx.handle();
    Optional<RecurrenceRow> locked =
        h.createQuery(
                "SELECT " + RecurrenceRow.COLUMNS + " FROM recurrences WHERE id = :id"
                    + " AND active = TRUE AND next_due_at <= :now"
                    + tx.dialect().forUpdate())
            .bind("id", id)
            .bind("now", now.toEpochMilli())
            .map((rs, ctx) -> RecurrenceRow.map(rs))
            .findOne();
    if (locked.isEmpty()) {
      return Outcome.NOT_DUE;
    }
    RecurrenceRow row = locked.get();
    Optional<CatchUp.Spawn> plan = CatchUp.LATEST_ONLY.plan(row.rule(), row.nextDue(), now);
    if (plan.isEmpty()) {
      return Outcome.NOT_DUE;
    }
    CatchUp.Spawn spawn = plan.get();
    int moved =
        h.createUpdate(
                "UPDATE recurrences SET next_due_at = :next, updated_at = :now"
                    + " WHERE id = :id AND next_due_at = :old")
            .bind("next", spawn.nextDueAt().toEpochMilli())
            .bind("now", now.toEpochMilli())
            .bind("id", id)
            .bind("old", row.nextDueAt())
            .execute();
    if (moved == 0) {
      return Outcome.NOT_DUE;
    }
    if (!createTask) {
      return Outcome.NOT_DUE;
    }
    if (row.skipIfOpen() && row.lastSpawnedTaskId() != null && isOpen(h, row.lastSpawnedTaskId())) {
      return Outcome.SKIPPED_OPEN;
    }
    long occurrence = spawn.occurrence().toEpochMilli();
    boolean exists =
        h.createQuery(
                "SELECT COUNT(*) FROM tasks WHERE source_recurrence_id = ? AND source_occurrence_at = ?")
            .bind(0, id)
            .bind(1, occurrence)
            .mapTo(Long.class)
            .one()
            > 0;
    if (exists) {
      return Outcome.ALREADY_SPAWNED;
    }
    Task task = createTask(tx, row, spawn);
    h.createUpdate(
            "UPDATE recurrences SET last_spawned_at = :now, last_spawned_task_id = :task WHERE id = :id")
        .bind("now", now.toEpochMilli())
        .bind("task", task.id())
        .bind("id", id)
        .execute();
    return Outcome.SPAWNED;
  }

  private Task createTask(Tx tx, RecurrenceRow row, CatchUp.Spawn spawn) {
    Handle h = tx.handle();
    LocalDateTime local = LocalDateTime.ofInstant(spawn.occurrence(), row.rule().timezone());
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("content", row.content());
    if (row.description() != null) {
      body.put("description", row.description());
    }
    body.put("priority", row.priority());
    var labels = body.putArray("labels");
    row.labels().forEach(labels::add);
    Long project = TaskSources.existingProject(h, row.projectId());
    if (project != null) {
      body.put("project_id", project);
    }
    Long assignee = TaskSources.activeAgent(h, row.assignedTo());
    if (assignee != null) {
      body.put("assigned_to_agent_id", assignee);
    }
    body.put("due_date", local.toLocalDate().toString());
    body.put("due_time", local.toLocalTime().format(TIME));
    Caller onBehalf =
        new Caller(row.createdBy(), "recurrence " + row.id(), "admin", true, Set.of());
    Map<String, Object> origin = new LinkedHashMap<>();
    origin.put("source_recurrence_id", row.id());
    origin.put("source_occurrence_at", spawn.occurrence().toEpochMilli());
    origin.put("next_occurrence", Json.format(spawn.nextDueAt()));
    return TaskSources.create(tasks, tx, onBehalf, body, origin);
  }

  private static boolean isOpen(Handle h, long taskId) {
    return h.createQuery("SELECT completed FROM tasks WHERE id = ?")
        .bind(0, taskId)
        .mapTo(Boolean.class)
        .findOne()
        .map(completed -> !completed)
        .orElse(false);
  }

  /** For {@code /health/ready}: whether the last tick worked, when it ran, how many tasks it spawned. */
  public Map<String, Object> health() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ok", lastError == null);
    long last = lastTickAt.get();
    m.put("last_tick_at", last < 0 ? null : Json.format(Instant.ofEpochMilli(last)));
    m.put("spawned", spawnedTotal.get());
    if (lastError != null) {
      m.put("error", lastError);
    }
    return m;
  }

  /** Stops the loop (the executor belongs to the caller). */
  @Override
  public synchronized void close() {
    if (loop != null) {
      loop.cancel(false);
    }
  }
}
