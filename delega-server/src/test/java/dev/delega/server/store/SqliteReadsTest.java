package dev.delega.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A SQLite read is one snapshot, and a read that fails leaves its connection fit for the next. */
class SqliteReadsTest {
  private static long value(org.jdbi.v3.core.Handle h) {
    return Sql.first(h, "SELECT n FROM probe WHERE id = 1", rs -> rs.getLong(1)).orElseThrow();
  }

  private static void createProbe(SqliteDatabase db) {
    db.write(tx -> {
      tx.handle().execute("CREATE TABLE probe (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)");
      tx.handle().execute("INSERT INTO probe (id, n) VALUES (1, 1)");
      return null;
    });
  }

  @Test
  void everyQueryOfOneReadSeesTheSameSnapshot(@TempDir Path dir) {
    try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("snap.db"))) {
      createProbe(db);
      long[] seen = db.read(h -> {
        long before = value(h);
        // A write commits on another thread between the read's two queries.
        CompletableFuture.runAsync(() -> db.write(tx -> Sql.update(tx.handle(), "UPDATE probe SET n = 2 WHERE id = 1"))).join();
        return new long[] {before, value(h)};
      });
      assertThat(seen).containsExactly(1, 1);
      assertThat(db.read(SqliteReadsTest::value)).isEqualTo(2);
    }
  }

  @Test
  void failedReadsLeaveNoTransactionBehind(@TempDir Path dir) {
    try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("fail.db"))) {
      createProbe(db);
      // More failures than there are read connections, each after its snapshot began and half-way
      // through a result (through Sql and through a Jdbi query): every connection has failed.
      for (int i = 0; i < 40; i++) {
        boolean viaJdbi = i % 2 == 0;
        assertThatThrownBy(() -> db.read(h -> {
          value(h);
          if (viaJdbi) {
            return h.createQuery("SELECT n FROM probe").map((rs, ctx) -> {
              throw new IllegalStateException("read failed");
            }).list();
          }
          return Sql.list(h, "SELECT n FROM probe", rs -> {
            throw new IllegalStateException("read failed");
          });
        })).hasStackTraceContaining("read failed");
      }
      for (int i = 0; i < 40; i++) {
        int n = i + 10;
        db.write(tx -> Sql.update(tx.handle(), "UPDATE probe SET n = ? WHERE id = 1", (long) n));
        // A connection left in its old transaction would still see an earlier value.
        assertThat(db.read(SqliteReadsTest::value)).isEqualTo(n);
      }
    }
  }
}
