package dev.delega.server.task;

import dev.delega.api.ContextHistory;
import dev.delega.api.ContextHistoryEntry;
import dev.delega.api.ContextProvenance;
import dev.delega.api.ContextState;
import dev.delega.api.Event;
import dev.delega.api.Json;
import dev.delega.server.agent.Caller;
import dev.delega.server.event.EventLog;
import dev.delega.server.internal.DelegaException;
import dev.delega.server.internal.Fields;
import dev.delega.server.store.Database;
import dev.delega.server.store.Sql;
import dev.delega.server.store.Tx;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import tools.jackson.core.type.TypeReference;

/**
 * A task's working memory: a JSON object merged key by key, versioned so that two agents writing at
 * once cannot silently overwrite each other, with an append-only ledger of every write of every key
 * (who, from which source, at which version, when, and when a later write superseded it); and the
 * task's audit trail from the event log.
 *
 * <p>Design: the context column of the task stays the current state (cheap to read and render);
 * the ledger table {@code context_entries} is written in the same transaction as every change of
 * that column, whichever route made it (this PATCH, or a create or PUT that carries a context), so
 * the live ledger entries always describe the current context. A write locks the task row first
 * ({@code FOR UPDATE} on PostgreSQL; SQLite has one writer), so an {@code expected_version} check
 * and the merge see the latest committed version and exactly one writer wins each version.
 */
public final class TaskContext {
  /** Where a context value came from. */
  public static final Set<String> SOURCES = Set.of("human_stated", "agent_inferred", "agent_observed", "imported");

  /** The source of a write that names none: never claim more authority than the writer showed. */
  public static final String DEFAULT_SOURCE = "agent_inferred";

  /** Longest context key. */
  static final int MAX_KEY_LENGTH = 256;

  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  private static final String ENTRY_COLUMNS =
      "e.id, e.task_id, e.key, e.value, e.source, e.version, e.author_name, e.author_agent_id,"
          + " e.created_at, e.superseded_at";

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

  /** {@code {context, version}}, and {@code provenance} of every current key when asked. */
  public ContextState get(Caller caller, long taskId, boolean provenance) {
    return db.read(
        h -> {
          TaskRow row = Tasks.visible(caller, h, taskId);
          Map<String, Object> context = parse(row.context());
          return new ContextState(context, row.contextVersion(), provenance ? provenance(h, taskId, context) : null);
        });
  }

  private static Map<String, ContextProvenance> provenance(Handle h, long taskId, Map<String, Object> context) {
    Map<String, ContextProvenance> live = new HashMap<>();
    h.createQuery(
            "SELECT " + ENTRY_COLUMNS + " FROM context_entries e"
                + " WHERE e.task_id = ? AND e.superseded_at IS NULL AND e.value IS NOT NULL")
        .bind(0, taskId)
        .map((rs, ctx) -> entry(rs))
        .forEach(
            e ->
                live.put(
                    e.key(),
                    new ContextProvenance(e.source(), e.version(), e.authorName(), e.authorAgentId(), e.createdAt())));
    Map<String, ContextProvenance> out = new LinkedHashMap<>();
    for (String key : context.keySet()) {
      ContextProvenance p = live.get(key);
      if (p != null) {
        out.put(key, p);
      }
    }
    return out;
  }

  /**
   * Shallow-merges {@code body} into the context (a null value deletes its key); returns {@code
   * {context, version}}. {@code source} null means {@link #DEFAULT_SOURCE}; an explicit source that
   * differs from a key's current one re-attributes an unchanged value.
   */
  public ContextState patch(
      Caller caller, long taskId, Fields body, Integer expectedVersion, String source, Long leaseToken) {
    if (source != null && !SOURCES.contains(source)) {
      throw new DelegaException.ValidationFailed(
          "source must be one of human_stated, agent_inferred, agent_observed, imported (got '" + source + "')");
    }
    Map<String, Object> updates = body.toMap();
    checkKeys(updates.keySet());
    String writeSource = source == null ? DEFAULT_SOURCE : source;
    return db.write(
        tx -> {
          Handle h = tx.handle();
          lock(tx, taskId);
          // A stale holder's write is refused as lease_superseded before the generic access check.
          long now = clock.millis();
          Leases.check(caller, Tasks.visible(caller, h, taskId), leaseToken, now);
          TaskRow row = Tasks.modifiable(caller, h, taskId);
          Map<String, Object> current = parse(row.context());
          if (expectedVersion != null && expectedVersion != row.contextVersion()) {
            throw new DelegaException.Conflict(
                    "version_conflict",
                    "context of task " + taskId + " is at version " + row.contextVersion()
                        + ", not " + expectedVersion + "; merge with the current context and retry"
                        + " with expected_version=" + row.contextVersion())
                .with("context", current)
                .with("version", row.contextVersion());
          }
          Map<String, String> liveSources = source == null ? Map.of() : liveSources(h, taskId);
          Map<String, Object> diff = new LinkedHashMap<>();
          Map<String, Object> written = new LinkedHashMap<>();
          for (Map.Entry<String, Object> e : updates.entrySet()) {
            String key = e.getKey();
            Object before = current.get(key);
            Object after = e.getValue();
            if (after == null) {
              if (current.containsKey(key)) {
                current.remove(key);
                written.put(key, null);
                diff.put("context." + key, change(before, null, null));
              }
            } else if (!after.equals(before) || !current.containsKey(key)) {
              current.put(key, after);
              written.put(key, after);
              diff.put("context." + key, change(before, after, writeSource));
            } else if (source != null && !source.equals(liveSources.get(key))) {
              written.put(key, after);
              diff.put("context." + key, change(before, after, writeSource));
            }
          }
          if (written.isEmpty()) {
            return new ContextState(current, row.contextVersion(), null);
          }
          String json = Json.mapper().writeValueAsString(current);
          if (json.getBytes(StandardCharsets.UTF_8).length > Tasks.MAX_CONTEXT_BYTES) {
            throw new DelegaException.PayloadTooLarge("context would be larger than 256 KiB");
          }
          long version = row.contextVersion() + 1;
          for (Map.Entry<String, Object> w : written.entrySet()) {
            append(h, taskId, w.getKey(), w.getValue(), writeSource, caller, version, now);
          }
          TaskChanges ch = new TaskChanges();
          ch.setQuietly("context", json);
          ch.setQuietly("context_version", version);
          Tasks.write(h, taskId, ch, now);
          tasks.emit(tx, "task.updated", taskId, caller, diff);
          return new ContextState(current, version, null);
        });
  }

  private static void checkKeys(Set<String> keys) {
    for (String key : keys) {
      if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
        throw new DelegaException.ValidationFailed(
            "context keys must be 1 to " + MAX_KEY_LENGTH + " characters long (got " + key.length() + ")");
      }
    }
  }

  /** Locks the task row for the rest of the write (PostgreSQL; SQLite has one writer). */
  static void lock(Tx tx, long taskId) {
    tx.handle()
        .createQuery("SELECT id FROM tasks WHERE id = ?" + tx.dialect().forUpdate())
        .bind(0, taskId)
        .mapTo(Long.class)
        .findOne();
  }

  private static Map<String, String> liveSources(Handle h, long taskId) {
    Map<String, String> out = new HashMap<>();
    h.createQuery("SELECT key, source FROM context_entries WHERE task_id = ? AND superseded_at IS NULL")
        .bind(0, taskId)
        .map((rs, ctx) -> Map.entry(rs.getString("key"), rs.getString("source")))
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  private static Map<String, Object> change(Object before, Object after, String source) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("before", before);
    m.put("after", after);
    if (source != null) {
      m.put("source", source);
    }
    return m;
  }

  /**
   * Records in the ledger a change of the whole context column made by a create or a PUT, in that
   * write's transaction: every key whose value changed gets an entry at {@code version} (source
   * {@link #DEFAULT_SOURCE}), every removed key a deletion.
   */
  static void recordReplace(
      Tx tx, Caller caller, long taskId, String beforeJson, String afterJson, long version, long now) {
    Map<String, Object> before = parse(beforeJson);
    Map<String, Object> after = parse(afterJson);
    checkKeys(after.keySet());
    for (Map.Entry<String, Object> e : after.entrySet()) {
      if (!before.containsKey(e.getKey()) || !Objects.equals(before.get(e.getKey()), e.getValue())) {
        append(tx.handle(), taskId, e.getKey(), e.getValue(), DEFAULT_SOURCE, caller, version, now);
      }
    }
    for (String key : before.keySet()) {
      if (!after.containsKey(key)) {
        append(tx.handle(), taskId, key, null, DEFAULT_SOURCE, caller, version, now);
      }
    }
  }

  /** Supersedes the live entry of {@code key} and appends the new one (a null value is a deletion). */
  private static void append(
      Handle h, long taskId, String key, Object value, String source, Caller caller, long version, long now) {
    h.createUpdate(
            "UPDATE context_entries SET superseded_at = :now"
                + " WHERE task_id = :task AND key = :key AND superseded_at IS NULL")
        .bind("now", now)
        .bind("task", taskId)
        .bind("key", key)
        .execute();
    h.createUpdate(
            "INSERT INTO context_entries (task_id, key, value, source, author_agent_id, author_name,"
                + " version, created_at, search_key, search_text)"
                + " VALUES (:task, :key, :value, :source, :author, :name, :version, :now, :skey, :stext)")
        .bind("task", taskId)
        .bind("key", key)
        .bind("value", value == null ? null : Json.mapper().writeValueAsString(value))
        .bind("source", source)
        .bind("author", caller.agentId())
        .bind("name", caller.name())
        .bind("version", version)
        .bind("now", now)
        .bind("skey", searchKey(key))
        .bind("stext", value == null ? "" : searchText(value))
        .execute();
  }

  /** The key as searchable text: the key itself plus its camelCase words. */
  static String searchKey(String key) {
    String split = key.replaceAll("(?<=\\p{Ll})(?=\\p{Lu})", " ");
    return split.equals(key) ? key : key + " " + split;
  }

  /** A value as searchable text: its strings, numbers and booleans, and the keys of nested objects. */
  static String searchText(Object value) {
    StringBuilder b = new StringBuilder();
    collect(value, b);
    return b.toString().strip();
  }

  private static void collect(Object value, StringBuilder b) {
    switch (value) {
      case null -> {}
      case Map<?, ?> m ->
          m.forEach(
              (k, v) -> {
                b.append(k).append(' ');
                collect(v, b);
              });
      case List<?> l -> l.forEach(v -> collect(v, b));
      default -> b.append(value).append('\n');
    }
  }

  /**
   * One page of the ledger of a task, newest first, optionally for one key; {@code cursor} is the
   * {@code next_cursor} of the previous page.
   */
  public ContextHistory history(Caller caller, long taskId, String key, String cursor, int limit) {
    Long before = null;
    if (cursor != null && !cursor.isBlank()) {
      if (!cursor.trim().matches("\\d{1,18}")) {
        throw new DelegaException.ValidationFailed(
            "cursor must be the next_cursor of a previous page (got '" + cursor + "')");
      }
      before = Long.parseLong(cursor.trim());
    }
    Long after = before;
    return db.read(
        h -> {
          Tasks.visible(caller, h, taskId);
          StringBuilder sql =
              new StringBuilder("SELECT " + ENTRY_COLUMNS + " FROM context_entries e WHERE e.task_id = :task");
          if (key != null && !key.isEmpty()) {
            sql.append(" AND e.key = :key");
          }
          if (after != null) {
            sql.append(" AND e.id < :cursor");
          }
          sql.append(" ORDER BY e.id DESC LIMIT :limit");
          Query q = h.createQuery(sql.toString()).bind("task", taskId).bind("limit", limit + 1);
          if (key != null && !key.isEmpty()) {
            q.bind("key", key);
          }
          if (after != null) {
            q.bind("cursor", after);
          }
          List<ContextHistoryEntry> entries = new ArrayList<>(q.map((rs, ctx) -> entry(rs)).list());
          String next = null;
          if (entries.size() > limit) {
            entries.remove(entries.size() - 1);
            next = String.valueOf(entries.get(entries.size() - 1).id());
          }
          return new ContextHistory(entries, next);
        });
  }

  /** Maps a row of {@code context_entries e} selected with the ledger columns. */
  private static ContextHistoryEntry entry(ResultSet rs) throws SQLException {
    Long authorId = Sql.getLong(rs, "author_agent_id");
    Instant supersededAt = Sql.getInstant(rs, "superseded_at");
    String value = rs.getString("value");
    return new ContextHistoryEntry(
        rs.getLong("id"),
        rs.getString("key"),
        value == null ? null : Json.mapper().readValue(value, Object.class),
        rs.getString("source"),
        rs.getLong("version"),
        rs.getString("author_name"),
        authorId,
        Instant.ofEpochMilli(rs.getLong("created_at")),
        supersededAt);
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
