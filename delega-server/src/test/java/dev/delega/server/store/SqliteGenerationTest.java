package dev.delega.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What read caches rely on ({@link Database#generation}): the number moves with every commit that
 * changes rows and with nothing else, it is even again once a write has returned, the read
 * connections cannot write, and no second store opens the same file.
 */
class SqliteGenerationTest {
  private static void createProbe(SqliteDatabase db) {
    db.write(tx -> {
      tx.handle().execute("CREATE TABLE probe (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)");
      tx.handle().execute("INSERT INTO probe (id, n) VALUES (1, 1)");
      return null;
    });
  }

  private static long n(SqliteDatabase db) {
    return db.read(h -> Sql.first(h, "SELECT n FROM probe WHERE id = 1", rs -> rs.getLong(1)).orElseThrow());
  }

  @Test
  void theNumberMovesWithCommittedChangesOnly(@TempDir Path dir) {
    try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("gen.db"))) {
      createProbe(db);
      long start = db.generation();
      assertThat(start).isNotNegative().isEven();

      db.write(tx -> Sql.first(tx.handle(), "SELECT n FROM probe", rs -> rs.getLong(1)));
      db.write(tx -> Sql.update(tx.handle(), "UPDATE probe SET n = 5 WHERE id = 99"));
      assertThat(db.generation()).as("writes that changed no row").isEqualTo(start);

      db.write(tx -> Sql.update(tx.handle(), "UPDATE probe SET n = 2 WHERE id = 1"));
      long afterUpdate = db.generation();
      assertThat(afterUpdate).as("a committed change, seen as soon as the write returns").isGreaterThan(start).isEven();

      assertThatThrownBy(() -> db.write(tx -> {
        Sql.update(tx.handle(), "UPDATE probe SET n = 3 WHERE id = 1");
        throw new IllegalStateException("undo");
      })).hasMessageContaining("undo");
      assertThat(n(db)).isEqualTo(2);
      assertThat(db.generation()).as("a rolled-back change may move it; never back").isGreaterThanOrEqualTo(afterUpdate).isEven();
    }
  }

  @Test
  void readConnectionsCannotWrite(@TempDir Path dir) {
    try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("ro.db"))) {
      createProbe(db);
      long before = db.generation();
      assertThatThrownBy(() -> db.read(h -> Sql.update(h, "UPDATE probe SET n = 9 WHERE id = 1")))
          .isInstanceOf(StoreFailure.class);
      assertThat(n(db)).isEqualTo(1);
      assertThat(db.generation()).isEqualTo(before);
    }
  }

  @Test
  void aSecondStoreOnTheSameFileIsRefusedUntilTheFirstCloses(@TempDir Path dir) {
    Path file = dir.resolve("one.db");
    try (SqliteDatabase db = SqliteDatabase.open(file)) {
      createProbe(db);
      assertThatThrownBy(() -> SqliteDatabase.open(file))
          .isInstanceOf(StoreFailure.class)
          .hasMessageContaining("in use by another Delega server")
          .hasMessageContaining("DELEGA_DATABASE_URL");
      assertThat(n(db)).as("the refused store disturbed nothing").isEqualTo(1);
    }
    try (SqliteDatabase again = SqliteDatabase.open(file)) {
      assertThat(n(again)).isEqualTo(1);
    }
  }
}
