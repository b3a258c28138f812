package dev.delega.server.claim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.api.ClaimRequest;
import dev.delega.api.ClaimResult;
import dev.delega.api.Task;
import dev.delega.client.ConflictException;
import dev.delega.client.DelegaClient;
import dev.delega.server.testing.DelegaServerExtension;
import dev.delega.server.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.junit.jupiter.api.Test;

/**
 * The single-winner proof: 64 agents on 64 threads race claims on one task (round after round,
 * with its lease running out in between) and on a queue of tasks (by queue and by id at once),
 * 10,048 claim attempts in all. Every task has at most one holder at a time, no task is handed out
 * twice within one lease, and the counts add up, in the answers and in the database.
 */
abstract class ClaimRace {
  static final int AGENTS = 64;
  static final int ROUNDS = 32;
  static final int QUEUE_TASKS = 4000;
  static final int QUEUE_CLAIMS_PER_AGENT = 100;
  static final int TARGETED_CLAIMS_PER_AGENT = 25;

  abstract DelegaServerExtension server();

  abstract MutableClock clock();

  private List<DelegaClient> agents(Crew crew) {
    List<DelegaClient> agents = new ArrayList<>();
    for (int i = 0; i < AGENTS; i++) {
      agents.add(crew.worker("racer" + i));
    }
    return agents;
  }

  @Test
  void sixtyFourAgentsRacingForTasksNeverShareOne() throws Exception {
    Crew crew = new Crew(server());
    List<DelegaClient> agents = agents(crew);
    Map<Long, DelegaClient> byId = new HashMap<>();
    agents.forEach(a -> byId.put(crew.id(a), a));
    int attempts = 0;

    // Part 1: everyone claims the same task by id; its lease runs out between rounds.
    Task hot = crew.admin().tasks().create("the hot task");
    List<Long> tokens = new ArrayList<>();
    CyclicBarrier start = new CyclicBarrier(AGENTS);
    try (ExecutorService pool = Executors.newFixedThreadPool(AGENTS)) {
      for (int round = 0; round < ROUNDS; round++) {
        List<Future<Task>> answers = new ArrayList<>();
        for (DelegaClient a : agents) {
          answers.add(pool.submit(() -> {
            start.await();
            try {
              return a.tasks().claim(hot.id(), ClaimRequest.lease(30)).task();
            } catch (ConflictException e) {
              assertThat(e.code()).isEqualTo("lease_held");
              return null;
            }
          }));
        }
        List<Task> winners = new ArrayList<>();
        for (Future<Task> f : answers) {
          if (f.get() != null) {
            winners.add(f.get());
          }
        }
        attempts += AGENTS;
        assertThat(winners).as("winners of round %d", round).hasSize(1);
        tokens.add(winners.get(0).leaseToken());
        assertThat(crew.admin().tasks().get(hot.id()).claimedByAgentId()).isEqualTo(winners.get(0).claimedByAgentId());
        clock().advance(Duration.ofSeconds(31));
      }
    }
    List<Long> expected = new ArrayList<>();
    for (long k = 1; k <= ROUNDS; k++) {
      expected.add(k);
    }
    assertThat(tokens).containsExactlyElementsOf(expected);
    assertLeasesNeverOverlap(hot.id(), ROUNDS);

    // Part 2: a queue of tasks, claimed from the queue and by id at the same time.
    long project = crew.project();
    List<Long> queue = seed(project);
    Map<Long, Long> holderOf = new ConcurrentHashMap<>();
    AtomicInteger handedOut = new AtomicInteger();
    AtomicInteger empty = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    AtomicInteger doubles = new AtomicInteger();
    CyclicBarrier go = new CyclicBarrier(AGENTS);
    try (ExecutorService pool = Executors.newFixedThreadPool(AGENTS)) {
      List<Future<?>> done = new ArrayList<>();
      for (DelegaClient a : agents) {
        long me = crew.id(a);
        done.add(pool.submit(() -> {
          go.await();
          Set<Long> mine = new HashSet<>();
          for (int i = 0; i < QUEUE_CLAIMS_PER_AGENT + TARGETED_CLAIMS_PER_AGENT; i++) {
            Task got;
            if (i % 5 == 4) {
              long id = queue.get(ThreadLocalRandom.current().nextInt(queue.size()));
              if (mine.contains(id)) {
                id = queue.get((queue.indexOf(id) + 1) % queue.size());
              }
              if (mine.contains(id)) {
                refused.incrementAndGet();
                continue;
              }
              try {
                got = a.tasks().claim(id).task();
              } catch (ConflictException e) {
                assertThat(e.code()).isEqualTo("lease_held");
                refused.incrementAndGet();
                continue;
              }
            } else {
              ClaimResult r = a.tasks().claimNext(ClaimRequest.defaults().withProjectId(project));
              if (!r.claimed()) {
                empty.incrementAndGet();
                continue;
              }
              got = r.task();
            }
            assertThat(got.claimedByAgentId()).isEqualTo(me);
            assertThat(got.leaseToken()).isEqualTo(1L);
            mine.add(got.id());
            handedOut.incrementAndGet();
            if (holderOf.putIfAbsent(got.id(), me) != null) {
              doubles.incrementAndGet();
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    }
    attempts += AGENTS * (QUEUE_CLAIMS_PER_AGENT + TARGETED_CLAIMS_PER_AGENT);

    assertThat(attempts).isGreaterThanOrEqualTo(10_000);
    assertThat(doubles.get()).as("tasks handed out twice").isZero();
    assertThat(handedOut.get() + empty.get() + refused.get())
        .isEqualTo(AGENTS * (QUEUE_CLAIMS_PER_AGENT + TARGETED_CLAIMS_PER_AGENT));
    assertThat(handedOut.get()).isEqualTo(holderOf.size()).isEqualTo(QUEUE_TASKS);
    Map<Long, Long> stored = claimedInDatabase(project);
    assertThat(stored).isEqualTo(holderOf);
    assertThat(claimLogCount(project)).as("first claims are not in the claim log").isZero();
    assertThat(claimedEvents(project)).isEqualTo(QUEUE_TASKS);
  }

  /** Inserts the queue's tasks in one transaction (setup, not under test), priorities mixed. */
  private List<Long> seed(long project) {
    long now = clock().millis();
    return server().wiring().database().write(tx -> {
      PreparedBatch batch =
          tx.handle().prepareBatch(
              "INSERT INTO tasks (content, project_id, priority, status, created_at, updated_at)"
                  + " VALUES (:content, :project, :priority, 'open', :at, :at)");
      for (int i = 0; i < QUEUE_TASKS; i++) {
        batch.bind("content", "queued " + i).bind("project", project).bind("priority", 1 + i % 4)
            .bind("at", now + i).add();
      }
      batch.execute();
      tx.handle().createUpdate("UPDATE tasks SET root_task_id = id WHERE project_id = ?").bind(0, project).execute();
      return tx.handle().createQuery("SELECT id FROM tasks WHERE project_id = ? ORDER BY id")
          .bind(0, project).mapTo(Long.class).list();
    });
  }

  /** The claim log shows strictly alternating expiry and re-claim, token after token (a first claim is not logged). */
  private void assertLeasesNeverOverlap(long taskId, int leases) {
    List<String> log = server().wiring().database().read(h ->
        h.createQuery("SELECT action, lease_token FROM task_claims WHERE task_id = ? ORDER BY id")
            .bind(0, taskId)
            .map((rs, ctx) -> rs.getString(1) + ":" + rs.getLong(2))
            .list());
    List<String> expected = new ArrayList<>();
    for (int k = 1; k <= leases; k++) {
      if (k > 1) {
        expected.add("reclaimed:" + k);
      }
      if (k < leases) {
        expected.add("expired:" + k);
      }
    }
    assertThat(log.subList(0, expected.size())).containsExactlyElementsOf(expected);
  }

  private Map<Long, Long> claimedInDatabase(long project) {
    return server().wiring().database().read(h ->
        h.createQuery("SELECT id, claimed_by_agent_id, lease_token FROM tasks WHERE project_id = ?")
            .bind(0, project)
            .map((rs, ctx) -> {
              assertThat(rs.getLong(3)).isEqualTo(1L);
              return Map.entry(rs.getLong(1), rs.getLong(2));
            })
            .list()
            .stream()
            .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
  }

  private long claimLogCount(long project) {
    return server().wiring().database().read(h ->
        h.createQuery(
                "SELECT COUNT(*) FROM task_claims c JOIN tasks t ON t.id = c.task_id WHERE t.project_id = ?")
            .bind(0, project)
            .mapTo(Long.class)
            .one());
  }

  private long claimedEvents(long project) {
    return server().wiring().database().read(h ->
        h.createQuery(
                "SELECT COUNT(*) FROM events e JOIN tasks t ON t.id = e.task_id"
                    + " WHERE t.project_id = ? AND e.type = 'task.claimed'")
            .bind(0, project)
            .mapTo(Long.class)
            .one());
  }
}
