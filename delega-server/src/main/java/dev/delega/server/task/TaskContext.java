package dev.delega.server.task;

import dev.delega.api.Event;
import dev.delega.api.Json;
import dev.delega.server.agent.Caller;
import dev.delega.server.event.EventLog;
import dev.delega.server.internal.DelegaException;
import dev.delega.server.internal.Fields;
import dev.delega.server.store.Database;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import tools.jackson.core.type.TypeReference;

/**
 * A task's working memory: a JSON object merged key by key, versioned so that two agents writing at
 * once cannot silently overwrite each other; and the task's audit trail from the event log.
 */
public final class TaskContext {
  /** Where a context value came from. */
  public static final Set<String> SOURCES = Set.of("human_stated", "agent_inferred", "agent_observed", "imported");

  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  private final Database db;
  private final Tasks tasks;
  private final Clock clock;

  public TaskContext(Database db, Tasks tasks, Clock clock) {
    this.db = db;
    this.tasks = tasks;
    this.clock = clock;
  }

  static Map<String, Object> parse(String json) {
    return json == null ? new LinkedHashMap<>() : Json.mapper().readValue(json, MAP);
  }

  /** {@code {context, version}} (and {@code provenance} when asked). */
  public Map<String, Object> get(Caller caller, long taskId, boolean provenance) {
    return db.read(
        h -> {
          TaskRow row = Tasks.visible(caller, h, taskId);
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("context", parse(row.context()));
          out.put("version", row.contextVersion());
          if (provenance) {
            out.put("provenance", Map.of());
          }
          return out;
        });
  }

  /** Shallow-merges {@code body} into the context; returns {@code {context, version}}. */
  public Map<String, Object> patch(
      Caller caller, long taskId, Fields body, Integer expectedVersion, String source, Long leaseToken) {
    if (source != null && !SOURCES.contains(source)) {
      throw new DelegaException.ValidationFailed(
          "source must be one of human_stated, agent_inferred, agent_observed, imported (got '" + source + "')");
    }
    Map<String, Object> updates = body.toMap();
    return db.write(
        tx -> {
          Handle h = tx.handle();
          TaskRow row = Tasks.modifiable(caller, h, taskId);
          Leases.check(caller, row, leaseToken, clock.millis());
          Map<String, Object> current = parse(row.context());
          if (expectedVersion != null && expectedVersion != row.contextVersion()) {
            throw new DelegaException.Conflict(
                    "version_conflict",
                    "context of task " + taskId + " is at version " + row.contextVersion()
                        + ", not " + expectedVersion + "; merge with the current context and retry")
                .with("context", current)
                .with("version", row.contextVersion());
          }
          Map<String, Object> diff = new LinkedHashMap<>();
          for (Map.Entry<String, Object> e : updates.entrySet()) {
            Object before = current.get(e.getKey());
            if (e.getValue() == null) {
              if (current.containsKey(e.getKey())) {
                current.remove(e.getKey());
                diff.put("context." + e.getKey(), change(before, null));
              }
            } else if (!e.getValue().equals(before)) {
              current.put(e.getKey(), e.getValue());
              diff.put("context." + e.getKey(), change(before, e.getValue()));
            }
          }
          String json = Json.mapper().writeValueAsString(current);
          if (json.getBytes(StandardCharsets.UTF_8).length > Tasks.MAX_CONTEXT_BYTES) {
            throw new DelegaException.PayloadTooLarge("context would be larger than 256 KiB");
          }
          long version = row.contextVersion();
          if (!diff.isEmpty()) {
            version = row.contextVersion() + 1;
            TaskChanges ch = new TaskChanges();
            ch.setQuietly("context", json);
            ch.setQuietly("context_version", version);
            Tasks.write(h, taskId, ch, clock.millis());
            tasks.emit(tx, "task.updated", taskId, caller, diff);
          }
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("context", current);
          out.put("version", version);
          return out;
        });
  }

  private static Map<String, Object> change(Object before, Object after) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("before", before);
    m.put("after", after);
    return m;
  }

  /** The events of one task the caller may see, after an event id, oldest first. */
  public List<Event> events(Caller caller, long taskId, Long after, int limit) {
    return db.read(
        h -> {
          boolean exists = Tasks.load(h, taskId).isPresent();
          if (exists) {
            Tasks.visible(caller, h, taskId);
          } else if (!caller.readsAll()) {
            throw new DelegaException.NotFound("Task not found");
          }
          Map<String, Object> binds = new LinkedHashMap<>();
          binds.put("task", taskId);
          binds.put("after", after == null ? 0L : after);
          return EventLog.read(h, "e.task_id = :task AND e.id > :after", binds, limit);
        });
  }
}
