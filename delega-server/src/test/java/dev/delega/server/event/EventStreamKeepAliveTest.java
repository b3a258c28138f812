package dev.delega.server.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.server.agent.Caller;
import dev.delega.server.store.Database;
import dev.delega.server.store.SqliteDatabase;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The stream loop on a real SQLite file with a sink in memory and a hand-moved nano clock. */
class EventStreamKeepAliveTest {

  @Test
  void writesAKeepAliveCommentWhenSilentAndEventsWhenTheyCome() throws Exception {
    try (Database db =
        SqliteDatabase.open(Files.createTempDirectory("delega-sse").resolve("d.db"))) {
      EventLog log = new EventLog(Clock.systemUTC());
      EventSignal signal = new EventSignal();
      log.onAppend(id -> signal.fire());
      AtomicLong nanos = new AtomicLong();
      AtomicBoolean stopped = new AtomicBoolean();
      List<String> chunks = new CopyOnWriteArrayList<>();
      EventStream stream =
          new EventStream(
              new EventFeed(db),
              signal,
              Caller.NOBODY,
              0,
              Set.of(),
              Duration.ofSeconds(15),
              Duration.ofMillis(5),
              stopped::get,
              nanos::get);
      Thread t =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      stream.run(chunks::add);
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  });

      await(() -> chunks.size() == 1);
      assertThat(chunks.getFirst()).isEqualTo("retry: 2000\nid: 0\n: connected\n\n");
      nanos.addAndGet(Duration.ofSeconds(14).toNanos());
      Thread.sleep(50);
      assertThat(chunks).hasSize(1);
      nanos.addAndGet(Duration.ofSeconds(1).toNanos());
      await(() -> chunks.size() == 2);
      assertThat(chunks.get(1)).isEqualTo(": keepalive\nid: 0\n\n");

      long id = db.write(tx -> log.append(tx, "task.created", 9L, null, Map.of(), Map.of("id", 9)));
      await(() -> chunks.size() == 3);
      assertThat(chunks.get(2))
          .startsWith("id: " + id + "\nevent: task.created\ndata: {")
          .endsWith("}\n\n");

      stopped.set(true);
      signal.fire();
      t.join(5_000);
      assertThat(t.isAlive()).isFalse();
    }
  }

  private static void await(java.util.function.BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out");
      }
      Thread.sleep(5);
    }
  }
}
