package dev.delega.server.automation;

import dev.delega.api.Json;
import dev.delega.server.agent.Caller;
import dev.delega.server.internal.DelegaException;
import dev.delega.server.internal.Fields;
import dev.delega.server.store.Database;
import dev.delega.server.store.Sql;
import dev.delega.server.store.Tx;
import dev.delega.server.task.TaskRow;
import dev.delega.server.task.Tasks;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs automations for the events this node commits, one event at a time, in commit order.
 *
 * <h2>Design note</h2>
 *
 * <p>The event log's after-commit listener hands each new event id to one worker thread (never the
 * committing thread: on SQLite that is the writer). For each active automation on the event's type
 * whose conditions hold for the task snapshot the event carries, {@link LoopGuard} decides with the
 * event's {@code automation_depth}; an admitted run executes all its actions through the task use
 * cases in ONE transaction (all or nothing) that first takes the event-log lock, then stamps every
 * event it appended with {@code automation_depth = depth + 1} and the automation's id, so the
 * changes a run causes can trigger at most {@value LoopGuard#MAX_CHAIN_DEPTH} hops in all. A
 * refused or failed run counts in {@code failure_count} with {@code last_error}. {@code
 * automation_runs} keeps one row per (automation, event): the log, and the guard that an event is
 * never acted on twice.
 *
 * <p>Actions run with admin rights, on behalf of the agent that created the automation. Actions that
 * change the task are skipped while an agent holds a live claim on it (the holder owns it until it
 * releases); comments and new tasks still run.
 */
final class AutomationRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AutomationRunner.class);
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  private static final int MAX_ERROR = 1000;

  private final Database db;
  private final Tasks tasks;
  private final Clock clock;
  private final LoopGuard guard;
  private final ExecutorService worker;
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicLong runs = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();

  AutomationRunner(Database db, Tasks tasks, Clock clock, LoopGuard guard, ExecutorService worker) {
    this.db = db;
    this.tasks = tasks;
    this.clock = clock;
    this.guard = guard;
    this.worker = worker;
  }

  /** The event log's listener: queues the event for the worker. */
  void onEvent(long eventId) {
    try {
      queued.incrementAndGet();
      worker.execute(
          () -> {
            try {
              process(eventId);
            } catch (RuntimeException e) {
              LOG.warn("automations for event {} failed", eventId, e);
            } finally {
              queued.decrementAndGet();
            }
          });
    } catch (RejectedExecutionException e) {
      queued.decrementAndGet();
      LOG.debug("automation worker stopped; event {} not processed", eventId);
    }
  }

  /** An event as the runner reads it. */
  private record EventRow(
      long id, String type, Long taskId, Long actorId, String actorName, String task, int depth) {}

  void process(long eventId) {
    // Most events have no automation listening: find that out with one small query before
    // reading the event's task snapshot.
    boolean listened =
        db.read(
            h -> Sql.first(
                    h,
                    "SELECT 1 FROM events e WHERE e.id = ? AND EXISTS (SELECT 1 FROM automations a"
                        + " WHERE a.event = e.type AND a.active = TRUE)",
                    rs -> Boolean.TRUE,
                    eventId)
                .isPresent());
    if (!listened) {
      return;
    }
    Optional<EventRow> found =
        db.read(
            h -> h.createQuery(
                    "SELECT e.id, e.type, e.task_id, e.actor_agent_id, a.name AS actor_name, e.task,"
                        + " e.automation_depth FROM events e LEFT JOIN agents a ON a.id ="
                        + " e.actor_agent_id WHERE e.id = ?")
                .bind(0, eventId)
                .map(
                    (rs, ctx) -> {
                      Long taskId = Sql.getLong(rs, "task_id");
                      Long actorId = Sql.getLong(rs, "actor_agent_id");
                      return new EventRow(
                          rs.getLong("id"), rs.getString("type"), taskId, actorId,
                          rs.getString("actor_name"), rs.getString("task"),
                          rs.getInt("automation_depth"));
                    })
                .findOne());
    if (found.isEmpty()) {
      return;
    }
    EventRow event = found.get();
    if (event.task() == null || event.taskId() == null
        || !AutomationDefinition.EVENTS.contains(event.type())) {
      return;
    }
    List<Automations.Stored> candidates = db.read(h -> Automations.forEvent(h, event.type()));
    if (candidates.isEmpty()) {
      return;
    }
    Map<String, Object> snapshot = Json.mapper().readValue(event.task(), MAP);
    AutomationSubject subject = subject(event, snapshot);
    for (Automations.Stored stored : candidates) {
      AutomationDefinition def;
      try {
        def = stored.definition();
      } catch (DelegaException e) {
        LOG.warn("automation {} has an invalid stored definition: {}", stored.id(), e.getMessage());
        continue;
      }
      if (!def.matches(event.type(), subject)) {
        continue;
      }
      switch (guard.admit(stored.id(), event.depth())) {
        case LoopGuard.Refused refused ->
            recordFailure(stored, event, event.depth() + 1, "refused", refused.message());
        case LoopGuard.Admitted admitted -> run(stored, def, event, snapshot, admitted.runDepth());
      }
    }
  }

  private AutomationSubject subject(EventRow event, Map<String, Object> snapshot) {
    Long ingress = asLong(snapshot.get("source_ingress_id"));
    Long[] origin =
        db.read(
            h -> h.createQuery(
                    "SELECT source_ingress_id, source_recurrence_id, source_automation_id FROM tasks"
                        + " WHERE id = ?")
                .bind(0, event.taskId())
                .map(
                    (rs, ctx) -> {
                      Long[] o = new Long[3];
                      for (int i = 0; i < 3; i++) {
                        o[i] = Sql.getLong(rs, i + 1);
                      }
                      return o;
                    })
                .findOne()
                .orElse(new Long[] {ingress, null, null}));
    List<String> labels = new ArrayList<>();
    if (snapshot.get("labels") instanceof List<?> list) {
      list.forEach(l -> labels.add(String.valueOf(l)));
    }
    Long priority = asLong(snapshot.get("priority"));
    return new AutomationSubject(
        labels,
        priority == null ? 1 : priority.intValue(),
        asLong(snapshot.get("project_id")),
        asLong(snapshot.get("assigned_to_agent_id")),
        asLong(snapshot.get("created_by_agent_id")),
        TaskSources.sourceOf(origin[0] != null ? origin[0] : ingress, origin[1], origin[2]));
  }

  private void run(
      Automations.Stored stored, AutomationDefinition def, EventRow event,
      Map<String, Object> snapshot, int depth) {
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("event", event.type());
    context.put("task", snapshot);
    Map<String, Object> actor = new LinkedHashMap<>();
    actor.put("id", event.actorId());
    actor.put("name", event.actorName());
    context.put("actor", actor);
    context.put("automation", Map.of("id", stored.id(), "name", stored.name()));
    Caller onBehalf = new Caller(stored.createdBy(), "automation:" + stored.name(), "admin", true, Set.of());
    try {
      Boolean ran =
          db.write(
              tx -> {
                Handle h = tx.handle();
                if (!claimRun(h, stored.id(), event, depth)) {
                  return false;
                }
                tx.dialect().lockEventLog(h);
                long before =
                    h.createQuery("SELECT COALESCE(MAX(id), 0) FROM events").mapTo(Long.class).one();
                List<String> notes = new ArrayList<>();
                for (Action action : def.actions()) {
                  String note = perform(tx, stored, onBehalf, action, event.taskId(), context);
                  if (note != null) {
                    notes.add(note);
                  }
                }
                h.createUpdate(
                        "UPDATE events SET automation_depth = :depth, automation_id = :automation"
                            + " WHERE id > :before")
                    .bind("depth", depth)
                    .bind("automation", stored.id())
                    .bind("before", before)
                    .execute();
                long now = clock.millis();
                h.createUpdate(
                        "UPDATE automations SET run_count = run_count + 1, last_run_at = ?,"
                            + " last_error = NULL WHERE id = ?")
                    .bind(0, now)
                    .bind(1, stored.id())
                    .execute();
                h.createUpdate(
                        "UPDATE automation_runs SET outcome = 'ok', message = ? WHERE automation_id"
                            + " = ? AND event_id = ?")
                    .bind(0, notes.isEmpty() ? null : clip(String.join("; ", notes)))
                    .bind(1, stored.id())
                    .bind(2, event.id())
                    .execute();
                return true;
              });
      if (Boolean.TRUE.equals(ran)) {
        runs.incrementAndGet();
      }
    } catch (RuntimeException e) {
      recordFailure(stored, event, depth, "failed", String.valueOf(e.getMessage()));
    }
  }

  /** Records that this automation handles this event; false when it already did. */
  private boolean claimRun(Handle h, long automationId, EventRow event, int depth) {
    return h.createUpdate(
                "INSERT INTO automation_runs (automation_id, event_id, task_id, depth, outcome,"
                    + " created_at) VALUES (?, ?, ?, ?, 'running', ?) ON CONFLICT DO NOTHING")
            .bind(0, automationId)
            .bind(1, event.id())
            .bind(2, event.taskId())
            .bind(3, depth)
            .bind(4, clock.millis())
            .execute()
        == 1;
  }

  private void recordFailure(
      Automations.Stored stored, EventRow event, int depth, String outcome, String message) {
    failures.incrementAndGet();
    String text = clip(message);
    try {
      db.write(
          tx -> {
            Handle h = tx.handle();
            if (!claimRun(h, stored.id(), event, depth)) {
              return null;
            }
            h.createUpdate(
                    "UPDATE automation_runs SET outcome = ?, message = ? WHERE automation_id = ? AND"
                        + " event_id = ?")
                .bind(0, outcome)
                .bind(1, text)
                .bind(2, stored.id())
                .bind(3, event.id())
                .execute();
            h.createUpdate(
                    "UPDATE automations SET failure_count = failure_count + 1, last_run_at = ?,"
                        + " last_error = ? WHERE id = ?")
                .bind(0, clock.millis())
                .bind(1, text)
                .bind(2, stored.id())
                .execute();
            return null;
          });
    } catch (RuntimeException e) {
      LOG.warn("could not record the failure of automation {}: {}", stored.id(), e.getMessage());
    }
  }

  /** Runs one action; returns a note for the run log when it was skipped, else {@code null}. */
  private String perform(
      Tx tx, Automations.Stored stored, Caller caller, Action action, long taskId,
      Map<String, Object> context) {
    Handle h = tx.handle();
    if (action.type() != Action.Type.CREATE_TASK) {
      Optional<TaskRow> row = Tasks.load(h, taskId);
      if (row.isEmpty()) {
        return action.type().wire() + " skipped: task " + taskId + " no longer exists";
      }
      if (action.type().mutatesTask() && row.get().claimedAt(clock.millis())) {
        return action.type().wire() + " skipped: task " + taskId + " is claimed by agent "
            + row.get().claimedBy();
      }
    }
    ObjectNode body = Json.mapper().createObjectNode();
    switch (action.type()) {
      case ASSIGN -> {
        body.put("assigned_to_agent_id", action.agentId());
        tasks.update(caller, taskId, Fields.of(body), null);
      }
      case SET_PRIORITY -> {
        body.put("priority", action.priority());
        tasks.update(caller, taskId, Fields.of(body), null);
      }
      case ADD_LABEL -> {
        List<String> labels =
            new ArrayList<>(Json.mapper().readValue(Tasks.load(h, taskId).orElseThrow().labels(),
                new TypeReference<List<String>>() {}));
        if (labels.contains(action.label())) {
          return null;
        }
        labels.add(action.label());
        TaskSources.putStrings(body, "labels", labels);
        tasks.update(caller, taskId, Fields.of(body), null);
      }
      case SET_EVIDENCE_POLICY -> {
        body.put("evidence_policy", action.policy());
        tasks.update(caller, taskId, Fields.of(body), null);
      }
      case ADD_COMMENT -> {
        body.put("content", AutomationTemplate.render(action.content(), context));
        body.put("author", clipName("automation: " + stored.name()));
        tasks.addComment(caller, taskId, Fields.of(body));
      }
      case CREATE_TASK -> {
        newTaskBody(body, action, context);
        if (action.projectId() != null) {
          body.put("project_id", action.projectId());
        }
        if (action.assignedToAgentId() != null) {
          body.put("assigned_to_agent_id", action.assignedToAgentId());
        }
        TaskSources.create(tasks, tx, caller, body, Map.of("source_automation_id", stored.id()));
      }
      case DELEGATE -> {
        newTaskBody(body, action, context);
        if (action.agentId() != null) {
          body.put("assigned_to_agent_id", action.agentId());
        }
        TaskSources.delegate(
            tasks, tx, caller, taskId, body, Map.of("source_automation_id", stored.id()));
      }
    }
    return null;
  }

  private static void newTaskBody(ObjectNode body, Action action, Map<String, Object> context) {
    body.put("content", AutomationTemplate.render(action.content(), context));
    if (action.description() != null) {
      body.put("description", AutomationTemplate.render(action.description(), context));
    }
    if (action.priority() != null) {
      body.put("priority", action.priority());
    }
    if (action.labels() != null) {
      TaskSources.putStrings(body, "labels", action.labels());
    }
  }

  /** For {@code /health/ready}. */
  Map<String, Object> health() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ok", !worker.isShutdown());
    m.put("queued_events", queued.get());
    m.put("runs", runs.get());
    m.put("refused_or_failed", failures.get());
    return m;
  }

  @Override
  public void close() {
    worker.shutdown();
    try {
      if (!worker.awaitTermination(10, TimeUnit.SECONDS)) {
        worker.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      worker.shutdownNow();
    }
  }

  private static Long asLong(Object o) {
    if (o instanceof Number n) {
      return n.longValue();
    }
    return null;
  }

  private static String clip(String s) {
    return s.length() <= MAX_ERROR ? s : s.substring(0, MAX_ERROR) + "…";
  }

  private static String clipName(String s) {
    return s.length() <= 100 ? s : s.substring(0, 100);
  }
}
