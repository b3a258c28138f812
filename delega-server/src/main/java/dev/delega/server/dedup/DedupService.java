package dev.delega.server.dedup;

import dev.delega.api.DedupResult;
import dev.delega.server.agent.Caller;
import dev.delega.server.internal.DelegaException;
import dev.delega.server.internal.Fields;
import dev.delega.server.store.Database;
import dev.delega.server.store.Sql;
import dev.delega.server.task.TaskAccess;
import dev.delega.server.task.TaskRow;
import dev.delega.server.task.Tasks;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.ResultSet;
import java.sql.SQLException;
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
 *
 * <p><b>Visibility without a scan.</b> A check by a caller without {@code tasks.read_all} must only
 * match tasks {@link TaskAccess#visibleSql} lets it see. Selecting those ids per check would cost
 * time in proportion to the caller's open tasks (linear in the number of open tasks for an agent
 * that creates a fixed share of them), so the service keeps, per indexed task, who created, was
 * assigned, completed and claimed it, its project and its chain root, and decides each candidate in
 * memory as the index gathers it: involved directly, or in a delegation chain it takes part in. Only
 * chains with more than one task need the database: one indexed probe per chain root, at most
 * {@value #MAX_CHAIN_PROBES} per check (later chain candidates are skipped: the check may miss a
 * match, never show an invisible one). The few matches found are then checked once more against
 * their rows as their content is read, since tasks changed by other nodes reach the memory within
 * a second only.
 */
public final class DedupService implements Tasks.TaskListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DedupService.class);

  /** Most matches returned. */
  public static final int MAX_MATCHES = 5;

  private final Database db;
  private final SimilarityIndex index;
  /** At most this many delegation chains are looked up in the database per check. */
  static final int MAX_CHAIN_PROBES = 32;

  /** What the visibility rule needs of an indexed open task. */
  private record Access(Long projectId, Long createdBy, Long assignedTo, Long completedBy, Long claimedBy, Long root) {
    boolean involves(Caller caller) {
      return caller.is(createdBy) || caller.is(assignedTo) || caller.is(completedBy) || caller.is(claimedBy);
    }
  }

  /** An open task as read at start. */
  private record Loaded(long id, String content, Access access) {}

  private final Map<Long, Access> access = new ConcurrentHashMap<>();

  /**
   * Roots of delegation chains with more than one task, open or done. It only grows: a root that no
   * longer has other tasks costs a needless probe, never a wrong answer.
   */
  private final Set<Long> chainRoots = ConcurrentHashMap.newKeySet();
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
          h.createQuery("SELECT DISTINCT root_task_id FROM tasks WHERE root_task_id <> id")
              .mapTo(Long.class)
              .forEach(chainRoots::add);
          h.createQuery(
                  "SELECT id, content, project_id, created_by_agent_id, assigned_to_agent_id,"
                      + " completed_by_agent_id, claimed_by_agent_id, root_task_id FROM tasks WHERE completed = FALSE")
              .setFetchSize(1000)
              .map((rs, ctx) -> loaded(rs))
              .forEach(t -> index(t.id(), t.content(), t.access()));
          return null;
        });
    loaded = true;
    LOG.info("dedup index: {} open tasks in {} ms ({} mode)", index.size(),
        (System.nanoTime() - start) / 1_000_000, index.mode().name().toLowerCase(java.util.Locale.ROOT));
  }

  private static Loaded loaded(ResultSet rs) throws SQLException {
    long id = rs.getLong("id");
    return new Loaded(id, rs.getString("content"), new Access(Sql.getLong(rs, "project_id"),
        Sql.getLong(rs, "created_by_agent_id"), Sql.getLong(rs, "assigned_to_agent_id"),
        Sql.getLong(rs, "completed_by_agent_id"), Sql.getLong(rs, "claimed_by_agent_id"), Sql.getLong(rs, "root_task_id")));
  }

  private void index(long id, String content, Access a) {
    access.put(id, a);
    index.put(id, content);
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
    if (row.rootTaskId() != null && row.rootTaskId() != row.id()) {
      chainRoots.add(row.rootTaskId());
    }
    if (row.completed()) {
      removed(row.id());
    } else {
      index(row.id(), row.content(), new Access(row.projectId(), row.createdBy(), row.assignedTo(),
          row.completedBy(), row.claimedBy(), row.rootTaskId()));
    }
  }

  @Override
  public void removed(long taskId) {
    index.remove(taskId);
    access.remove(taskId);
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
    Map<Long, String> contents = contents(caller, found);
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

  /** The rows of the matches, by primary key only (see {@link #contents}). */
  static final String CONTENTS_SQL =
      "SELECT id, content, completed, project_id, created_by_agent_id, assigned_to_agent_id,"
          + " completed_by_agent_id, claimed_by_agent_id, root_task_id FROM tasks WHERE id IN (<ids>)";

  /**
   * The content of the matches that are still open and that the caller may see, read again with
   * the visibility rule applied to the rows (tasks changed by other nodes reach the memory within a
   * second only). The primary key is the only condition: given {@code completed = FALSE} or the
   * agent columns as well, SQLite's planner walks an index over every open task instead of looking
   * up the few ids (30 ms a check at 100k open tasks).
   */
  private Map<Long, String> contents(Caller caller, List<DedupMatch> found) {
    List<Long> ids = found.stream().map(DedupMatch::taskId).toList();
    return db.read(
        h -> {
          List<Loaded> rows =
              h.createQuery(CONTENTS_SQL)
                  .bindList("ids", ids)
                  .map((rs, ctx) -> rs.getBoolean("completed") ? null : loaded(rs))
                  .list();
          Map<Long, String> out = new HashMap<>();
          for (Loaded row : rows) {
            if (row != null && visible(h, caller, row.access())) {
              out.put(row.id(), row.content());
            }
          }
          return out;
        });
  }

  /** The rule of {@link TaskAccess#visibleSql}, for one task. */
  private static boolean visible(Handle h, Caller caller, Access a) {
    if (caller.readsAll()) {
      return true;
    }
    if (!caller.isAgent()) {
      return false;
    }
    return a.involves(caller) || (a.root() != null && takesPartInChain(h, caller, a.root()));
  }

  /**
   * Which indexed tasks a check may return, decided per candidate (see the class comment). Used by
   * one search on one thread.
   */
  private LongPredicate allowed(Caller caller, Long projectId) {
    LongPredicate inProject = projectId == null ? id -> true : id -> {
      Access a = access.get(id);
      return a != null && projectId.equals(a.projectId());
    };
    if (caller.readsAll()) {
      return inProject;
    }
    if (!caller.isAgent()) {
      return id -> false;
    }
    Map<Long, Boolean> chains = new HashMap<>();
    return id -> {
      Access a = access.get(id);
      if (a == null || !inProject.test(id)) {
        return false;
      }
      if (a.involves(caller)) {
        return true;
      }
      if (a.root() == null || !chainRoots.contains(a.root())) {
        return false;
      }
      Boolean known = chains.get(a.root());
      if (known == null) {
        if (chains.size() >= MAX_CHAIN_PROBES) {
          return false;
        }
        long root = a.root();
        known = db.read(h -> takesPartInChain(h, caller, root));
        chains.put(a.root(), known);
      }
      return known;
    };
  }

  /** True when the caller created, is assigned or claimed some task of the chain under {@code root}. */
  private static boolean takesPartInChain(Handle h, Caller caller, long root) {
    return h.createQuery(
            "SELECT EXISTS (SELECT 1 FROM tasks r WHERE r.root_task_id = :root AND (r.created_by_agent_id = :me"
                + " OR r.assigned_to_agent_id = :me OR r.claimed_by_agent_id = :me))")
        .bind("root", root)
        .bind("me", caller.agentId())
        .mapTo(Boolean.class)
        .one();
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
