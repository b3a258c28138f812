package dev.delega.server.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SimilarityIndexConcurrencyTest {
  private static final String[] HOSTS = {"web", "db", "cache", "queue", "build-agent", "edge"};
  private static final String[] ACTIONS = {
    "Check free disk space on", "Restart nginx on", "Rotate the logs on", "Patch the kernel on"
  };

  private static String text(long id) {
    return ACTIONS[(int) (id % ACTIONS.length)] + " " + HOSTS[(int) (id % HOSTS.length)] + "-" + id;
  }

  @Test
  void concurrentSearchesPutsAndRemovesLoseNothing() throws Exception {
    runRace(SimilarityIndex.create(DedupMode.LEXICAL), 4, 300);
  }

  @Test
  void concurrentAccessInHybridMode() throws Exception {
    runRace(SimilarityIndex.create(DedupMode.HYBRID), 2, 40);
  }

  private static void runRace(SimilarityIndex index, int writers, int perWriter) throws Exception {
    int readers = 4;
    ExecutorService pool = Executors.newFixedThreadPool(writers + readers);
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger searches = new AtomicInteger();
    ConcurrentHashMap<Long, Boolean> expected = new ConcurrentHashMap<>();
    List<Future<?>> futures = new ArrayList<>();
    try (index) {
      for (int w = 0; w < writers; w++) {
        int writer = w;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  Random random = new Random(writer);
                  for (int i = 0; i < perWriter; i++) {
                    long id = writer * 100_000L + i;
                    index.put(id, text(id));
                    expected.put(id, true);
                    if (random.nextInt(4) == 0) {
                      long victim = writer * 100_000L + random.nextInt(i + 1);
                      index.remove(victim);
                      expected.remove(victim);
                    }
                  }
                  return null;
                }));
      }
      AtomicInteger writersLeft = new AtomicInteger(writers);
      for (int r = 0; r < readers; r++) {
        int reader = r;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  Random random = new Random(100 + reader);
                  while (searches.get() < 50 * readers || writersLeft.get() > 0) {
                    long id = random.nextInt(writers) * 100_000L + random.nextInt(perWriter);
                    List<DedupMatch> found = index.search(text(id), 0.5, 5, x -> true);
                    for (DedupMatch m : found) {
                      assertThat(m.score()).isBetween(0.5, 1.0);
                    }
                    searches.incrementAndGet();
                    if (futuresDone(writers, writersLeft)) {
                      break;
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (int w = 0; w < writers; w++) {
        futures.get(w).get(2, TimeUnit.MINUTES);
        writersLeft.decrementAndGet();
      }
      for (Future<?> f : futures) {
        f.get(2, TimeUnit.MINUTES);
      }

      assertThat(index.size()).isEqualTo(expected.size());
      for (long id : expected.keySet()) {
        List<DedupMatch> found = index.search(text(id), 0.99, 3, x -> true);
        assertThat(found).as("task %d", id).extracting(DedupMatch::taskId).contains(id);
      }
      assertThat(searches.get()).isGreaterThan(0);
    } finally {
      pool.shutdownNow();
    }
  }

  private static boolean futuresDone(int writers, AtomicInteger writersLeft) {
    return writersLeft.get() == 0;
  }
}
