package dev.delega.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "SELECT 1 FROM t WHERE a = :a AND b = :b_2 | SELECT 1 FROM t WHERE a = ? AND b = ? | a,b_2",
        "SELECT ':a' FROM t WHERE x = :x | SELECT ':a' FROM t WHERE x = ? | x",
        "SELECT x::text FROM t WHERE y = :y | SELECT x::text FROM t WHERE y = ? | y",
        "SELECT 'it''s :no' WHERE a = :a AND a2 = :a | SELECT 'it''s :no' WHERE a = ? AND a2 = ? | a,a",
        "SELECT '12:30' | SELECT '12:30' | ''",
      })
  void namedParametersBecomePositionalOutsideLiteralsAndCasts(String sql, String expected, String names) {
    Sql.Named named = Sql.Named.parse(sql);
    assertThat(named.sql()).isEqualTo(expected);
    assertThat(named.names()).isEqualTo(names.isEmpty() ? List.of() : List.of(names.split(",")));
  }

  @Test
  void runsOnTheWriterAndTheReadersWithTypedAndNullValues(@TempDir Path dir) throws Exception {
    try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("sql.db"))) {
      db.write(tx -> {
        tx.handle().execute("CREATE TABLE probe (id INTEGER PRIMARY KEY, name TEXT, n BIGINT, flag BOOLEAN)");
        return null;
      });
      long id = db.write(tx -> Sql.returningLong(tx.handle(), "INSERT INTO probe (name, n, flag) VALUES (?, ?, ?) RETURNING id",
          ps -> {
            Sql.setString(ps, 1, "a");
            Sql.setLong(ps, 2, null);
            ps.setBoolean(3, true);
          }));
      Map<String, Object> binds = new HashMap<>();
      binds.put("id", id);
      binds.put("name", null);
      int updated = db.write(tx -> Sql.updateNamed(tx.handle(), "UPDATE probe SET name = :name WHERE id = :id", binds));
      assertThat(updated).isEqualTo(1);
      List<String> rows = db.read(h -> Sql.list(h, "SELECT COALESCE(name, 'null'), n IS NULL, flag FROM probe WHERE id IN ("
          + Sql.markers(2) + ")", rs -> rs.getString(1) + "/" + rs.getBoolean(2) + "/" + rs.getBoolean(3), id, 99L));
      assertThat(rows).containsExactly("null/true/true");
      java.util.Optional<Long> missing = db.read(h -> Sql.first(h, "SELECT id FROM probe WHERE id = ?", rs -> rs.getLong(1), 99L));
      assertThat(missing).isEmpty();
      assertThatThrownBy(() -> db.read(h -> Sql.listNamed(h, "SELECT 1 WHERE :missing = 1", Map.of(), rs -> 1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(":missing");
      assertThatThrownBy(() -> db.read(h -> Sql.first(h, "SELECT nope FROM probe", rs -> 1)))
          .isInstanceOf(StoreFailure.class)
          .hasMessageContaining("SELECT nope");
      assertThat(Files.exists(dir.resolve("sql.db"))).isTrue();
    }
  }
}
