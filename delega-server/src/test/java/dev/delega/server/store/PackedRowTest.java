package dev.delega.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackedRowTest {
  @Test
  void readsValuesInOrderWithNullsAndBothBooleanSpellings() {
    try (PackedRow r = PackedRow.of("[9223372036854775807, null, \"a \\\"q\\\" \\u00fc ✓\", null, 1, 0, true, false, 3.0, 7, null]")) {
      assertThat(r.longValue()).isEqualTo(Long.MAX_VALUE);
      assertThat(r.nullableLong()).isNull();
      assertThat(r.string()).isEqualTo("a \"q\" ü ✓");
      assertThat(r.string()).isNull();
      assertThat(r.bool()).isTrue();
      assertThat(r.bool()).isFalse();
      assertThat(r.bool()).isTrue();
      assertThat(r.bool()).isFalse();
      assertThat(r.longValue()).isEqualTo(3L);
      assertThat(r.intValue()).isEqualTo(7);
      assertThat(r.nullableInt()).isNull();
    }
  }

  @Test
  void aRowOfTheWrongShapeFailsNamingThePositionNotTheValues() {
    assertThatThrownBy(() -> PackedRow.of("{\"secret\": 1}")).isInstanceOf(StoreFailure.class)
        .hasMessageContaining("not a JSON array");
    assertThatThrownBy(() -> {
      try (PackedRow r = PackedRow.of("[\"secret text\"]")) {
        r.longValue();
      }
    }).isInstanceOf(StoreFailure.class).hasMessageContaining("value 1").hasMessageNotContaining("secret");
    assertThatThrownBy(() -> {
      try (PackedRow r = PackedRow.of("[1, 2]")) {
        r.longValue();
      }
    }).isInstanceOf(StoreFailure.class).hasMessageContaining("more values than read");
    assertThatThrownBy(() -> {
      try (PackedRow r = PackedRow.of("[1]")) {
        r.longValue();
        r.longValue();
      }
    }).isInstanceOf(StoreFailure.class).hasMessageContaining("value 2");
    assertThatThrownBy(() -> {
      try (PackedRow r = PackedRow.of("[1, ")) {
        r.longValue();
        r.longValue();
      }
    }).isInstanceOf(StoreFailure.class).hasMessageContaining("not JSON");
    assertThatThrownBy(() -> PackedRow.of(null)).isInstanceOf(StoreFailure.class);
  }

  @Test
  void readsRowsOneByOneAndChecksEachIsReadToTheEnd() {
    try (PackedRow r = PackedRow.rows("[[1, \"a\", true], [2, null, 0]]")) {
      assertThat(r.nextRow()).isTrue();
      assertThat(r.longValue()).isEqualTo(1);
      assertThat(r.string()).isEqualTo("a");
      assertThat(r.bool()).isTrue();
      assertThat(r.nextRow()).isTrue();
      assertThat(r.longValue()).isEqualTo(2);
      assertThat(r.string()).isNull();
      assertThat(r.bool()).isFalse();
      assertThat(r.nextRow()).isFalse();
      assertThat(r.nextRow()).isFalse();
    }
    try (PackedRow r = PackedRow.rows("[]")) {
      assertThat(r.nextRow()).isFalse();
    }
    assertThatThrownBy(() -> {
      try (PackedRow r = PackedRow.rows("[[1, 2], [3]]")) {
        r.nextRow();
        r.longValue();
        r.nextRow();
      }
    }).isInstanceOf(StoreFailure.class).hasMessageContaining("row 1").hasMessageContaining("more values than read");
    assertThatThrownBy(() -> {
      try (PackedRow r = PackedRow.rows("[[1], [2]]")) {
        r.nextRow();
        r.longValue();
      }
    }).isInstanceOf(StoreFailure.class).hasMessageContaining("more rows than read");
    assertThatThrownBy(() -> {
      try (PackedRow r = PackedRow.rows("[1]")) {
        r.nextRow();
      }
    }).isInstanceOf(StoreFailure.class).hasMessageContaining("expected a row");
    assertThatThrownBy(() -> {
      try (PackedRow r = PackedRow.rows("[[1]]")) {
        r.longValue();
      }
    }).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> {
      try (PackedRow r = PackedRow.of("[1]")) {
        r.nextRow();
      }
    }).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void sqliteJsonArrayKeepsEveryValueExact(@TempDir Path dir) {
    try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("packed.db"))) {
      db.write(tx -> {
        tx.handle().execute("CREATE TABLE probe (id INTEGER PRIMARY KEY, big BIGINT, small BIGINT, t TEXT, flag BOOLEAN)");
        tx.handle().execute("INSERT INTO probe (id, big, small, t, flag) VALUES (1, ?, ?, ?, TRUE)",
            Long.MAX_VALUE, Long.MIN_VALUE, "line\nbreak\ttab \u0001 \"quote\" \\ back 🧪 ‏עברית");
        tx.handle().execute("INSERT INTO probe (id) VALUES (2)");
        return null;
      });
      String sql = "SELECT " + Dialect.of(db.read(h -> h)).jsonArray("big, small, t, flag") + " FROM probe WHERE id = ?";
      try (PackedRow r = PackedRow.of(db.read(h -> Sql.first(h, sql, rs -> rs.getString(1), 1L).orElseThrow()))) {
        assertThat(r.longValue()).isEqualTo(Long.MAX_VALUE);
        assertThat(r.longValue()).isEqualTo(Long.MIN_VALUE);
        assertThat(r.string()).isEqualTo("line\nbreak\ttab \u0001 \"quote\" \\ back 🧪 ‏עברית");
        assertThat(r.bool()).isTrue();
      }
      try (PackedRow r = PackedRow.of(db.read(h -> Sql.first(h, sql, rs -> rs.getString(1), 2L).orElseThrow()))) {
        assertThat(r.nullableLong()).isNull();
        assertThat(r.nullableLong()).isNull();
        assertThat(r.string()).isNull();
        assertThat(r.string()).isNull();
      }
    }
  }
}
