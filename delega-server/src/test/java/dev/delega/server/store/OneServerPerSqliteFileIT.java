package dev.delega.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.delega.server.testing.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second server process on a SQLite file that a running server uses refuses to start, saying why;
 * once the first is killed (SIGKILL: the operating system drops its lock) the file opens again.
 */
class OneServerPerSqliteFileIT {
  @Test
  void aSecondProcessIsRefusedUntilTheFirstIsGone(@TempDir Path dir) throws Exception {
    Path db = dir.resolve("shared.db");
    try (ServerProcess first = ServerProcess.sqlite(db, dir.resolve("first.log"), ServerProcess.QUICK_START)) {
      assertThatThrownBy(() -> ServerProcess.start(
              Map.of("DELEGA_DB_PATH", db.toString()), dir.resolve("second.log"), ServerProcess.QUICK_START))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("in use by another Delega server");
      assertThat(first.get("/health/ready")).isEqualTo(200);
      assertThat(first.kill()).isEqualTo(ServerProcess.KILLED);
    }
    try (SqliteDatabase again = SqliteDatabase.open(db)) {
      long agents = again.read(h -> Sql.first(h, "SELECT COUNT(*) FROM agents", rs -> rs.getLong(1)).orElseThrow());
      assertThat(agents).isNotNegative();
    }
    assertThat(Files.readString(dir.resolve("second.log")))
        .contains("delega: cannot start: the SQLite database")
        .doesNotContain("Exception in thread");
  }
}
