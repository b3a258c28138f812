package dev.delega.server.dedup;

import dev.delega.api.DedupResult;
import dev.delega.server.agent.Caller;
import dev.delega.server.internal.DelegaException;
import dev.delega.server.internal.Fields;
import dev.delega.server.store.Database;
import dev.delega.server.task.TaskAccess;
import dev.delega.server.task.TaskRow;
import dev.delega.server.task.Tasks;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Duplicate checks over the open tasks a caller may see: {@code POST /tasks/dedup} and the
 * create-time check. Keeps the in-memory {@link SimilarityIndex} in step with the database: loaded
 * at start, updated after each local commit, and caught up from the shared event log every second
 * so that tasks written by other server nodes are found too.
 */
public final class DedupService implements Tasks.TaskListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DedupService.class);

  /** Most matches returned. */
  public static final int MAX_MATCHES = 5;

  private final Database db;
  private final SimilarityIndex index;
  private final Map<Long, Long> projectOf = new ConcurrentHashMap<>();
  private final ScheduledExecutorService tail =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("delega-dedup-tail").daemon(true).factory());
  private final Counter checks;
  private final Counter hits;
  private volatile long cursor;
  private volatile boolean loaded;

  public DedupService(Database db, SimilarityIndex index, MeterRegistry metrics) {
    this.db = db;
    this.index = index;
    this.checks = Counter.builder("delega.dedup.checks").description("duplicate checks run").register(metrics);
    this.hits = Counter.builder("delega.dedup.hits").description("duplicate checks that found matches").register(metrics);
    cursor = db.read(h -> h.createQuery("SELECT COALESCE(MAX(id), 0) FROM events").mapTo(Long.class).one());
    // Embedding every open task takes ~2 ms each in hybrid mode, so the index fills in the
    // background and start-up does not wait; changes made meanwhile are caught up afterwards.
    tail.execute(this::load);
    tail.scheduleWithFixedDelay(this::catchUp, 1, 1, TimeUnit.SECONDS);
  }

  /** True once every open task present at start has been indexed. */
  public boolean loaded() {
    return loaded;
  }

  private void load() {
    long start = System.nanoTime();
    db.read(
        h -> {
          h.createQuery("SELECT id, content, project_id FROM tasks WHERE completed = FALSE")
              .setFetchSize(1000)
              .map((rs, ctx) -> {
                long pid = rs.getLong("project_id");
                return new Object[] {rs.getLong("id"), rs.getString("content"), rs.wasNull() ? null : pid};
              })
              .forEach(r -> index((Long) r[0], (String) r[1], (Long) r[2]));
          return null;
        });
    loaded = true;
    LOG.info("dedup index: {} open tasks in {} ms ({} mode)", index.size(),
        (System.nanoTime() - start) / 1_000_000, index.mode().name().toLowerCase(java.util.Locale.ROOT));
  }

  private void index(long id, String content, Long projectId) {
    index.put(id, content);
    if (projectId == null) {
      projectOf.remove(id);
    } else {
      projectOf.put(id, projectId);
    }
  }

  /** Applies changes committed since the last look, by any node. */
  void catchUp() {
    try {
      long from = cursor;
      List<long[]> changed =
          db.read(
              h ->
                  h.createQuery("SELECT id, task_id FROM events WHERE id > ? AND task_id IS NOT NULL ORDER BY id LIMIT 5000")
                      .bind(0, from)
                      .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)})
                      .list());
      if (changed.isEmpty()) {
        return;
      }
      Set<Long> ids = new HashSet<>();
      for (long[] c : changed) {
        ids.add(c[1]);
      }
      List<Long> pending = new ArrayList<>(ids);
      db.read(
          h -> {
            for (int at = 0; at < pending.size(); at += 500) {
              List<Long> chunk = pending.subList(at, Math.min(pending.size(), at + 500));
              Set<Long> found = new HashSet<>();
              for (TaskRow row : Tasks.loadAll(h, chunk)) {
                found.add(row.id());
                saved(row);
              }
              for (long id : chunk) {
                if (!found.contains(id)) {
                  removed(id);
                }
              }
            }
            return null;
          });
      cursor = changed.get(changed.size() - 1)[0];
    } catch (RuntimeException e) {
      LOG.warn("dedup index catch-up failed; will retry", e);
    }
  }

  @Override
  public void saved(TaskRow row) {
    if (row.completed()) {
      removed(row.id());
    } else {
      index(row.id(), row.content(), row.projectId());
    }
  }

  @Override
  public void removed(long taskId) {
    index.remove(taskId);
    projectOf.remove(taskId);
  }

  /** The effective mode (lexical when the embedding model could not load). */
  public DedupMode mode() {
    return index.mode();
  }

  /** {@code POST /tasks/dedup {content, threshold?, project_id?}}. */
  public DedupResult check(Caller caller, Fields body) {
    String content = body.requiredText("content", Tasks.MAX_CONTENT);
    Double threshold = body.number("threshold", 0.0, 1.0);
    Long projectId = body.id("project_id");
    return check(caller, content, threshold == null ? SimilarityIndex.DEFAULT_THRESHOLD : threshold, projectId);
  }

  /** The open tasks the caller may see that look like {@code content}, best first. */
  public DedupResult check(Caller caller, String content, double threshold, Long projectId) {
    checks.increment();
    LongPredicate allowed = allowed(caller, projectId);
    List<DedupMatch> found = index.search(content, threshold, MAX_MATCHES, allowed);
    if (found.isEmpty()) {
      return new DedupResult(false, List.of());
    }
    Map<Long, String> contents = contents(found);
    List<dev.delega.api.DedupMatch> matches = new ArrayList<>();
    for (DedupMatch m : found) {
      String c = contents.get(m.taskId());
      if (c != null) {
        matches.add(new dev.delega.api.DedupMatch(m.taskId(), c, m.score()));
      }
    }
    if (!matches.isEmpty()) {
      hits.increment();
    }
    return new DedupResult(!matches.isEmpty(), matches);
  }

  private Map<Long, String> contents(List<DedupMatch> found) {
    List<Long> ids = found.stream().map(DedupMatch::taskId).toList();
    return db.read(
        h -> {
          Map<Long, String> out = new HashMap<>();
          h.createQuery("SELECT id, content FROM tasks WHERE completed = FALSE AND id IN (<ids>)")
              .bindList("ids", ids)
              .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2)))
              .forEach(e -> out.put(e.getKey(), e.getValue()));
          return out;
        });
  }

  private LongPredicate allowed(Caller caller, Long projectId) {
    LongPredicate inProject = projectId == null ? id -> true : id -> projectId.equals(projectOf.get(id));
    if (caller.readsAll()) {
      return inProject;
    }
    Set<Long> visible =
        db.read(
            (Handle h) ->
                new HashSet<>(
                    h.createQuery("SELECT t.id FROM tasks t WHERE t.completed = FALSE AND " + TaskAccess.visibleSql(caller))
                        .bind("me", caller.agentId())
                        .mapTo(Long.class)
                        .list()));
    return id -> visible.contains(id) && inProject.test(id);
  }

  /** The create-time check: 409 {@code duplicate_task} with the matches when the content has duplicates. */
  public void refuseDuplicates(Caller caller, Fields body) {
    String content = body.requiredText("content", Tasks.MAX_CONTENT);
    Double threshold = body.number("dedup_threshold", 0.0, 1.0);
    DedupResult r =
        check(caller, content, threshold == null ? SimilarityIndex.DEFAULT_THRESHOLD : threshold, body.id("project_id"));
    if (r.hasDuplicates()) {
      List<Map<String, Object>> matches = new ArrayList<>();
      for (dev.delega.api.DedupMatch m : r.matches()) {
        Map<String, Object> mm = new LinkedHashMap<>();
        mm.put("task_id", m.taskId());
        mm.put("content", m.content());
        mm.put("score", m.score());
        matches.add(mm);
      }
      throw new DelegaException.Conflict("duplicate_task", "Duplicate task detected")
          .with("matches", matches)
          .with("hint", "Send \"force\": true (or drop X-Dedup-Check) to create it anyway");
    }
  }

  @Override
  public void close() {
    tail.shutdownNow();
    index.close();
  }
}
