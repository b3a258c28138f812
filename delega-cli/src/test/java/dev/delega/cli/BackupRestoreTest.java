package dev.delega.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.server.testing.DelegaServerExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

class BackupRestoreTest {
  private final Path dir = tempDir();
  private final Path db = dir.resolve("delega.db");

  @RegisterExtension final DelegaServerExtension server = new DelegaServerExtension().env("DELEGA_DB_PATH", db.toString());

  @Test
  void backsUpWhileServingAndRestoresOnlyOnceTheServerIsStopped() throws Exception {
    Cli cli = Cli.against(server.rootUrl(), server.adminKey()).env("DELEGA_DB_PATH", db.toString());
    cli.json("tasks", "create", "Kept by the backup");

    Path backup = dir.resolve("backups/first.db");
    JsonNode made = cli.json("backup", backup.toString());
    assertThat(made.path("integrity").asString()).isEqualTo("ok");
    assertThat(made.path("tasks").asLong()).isEqualTo(1);
    assertThat(made.path("source").asString()).isEqualTo(db.toString());
    assertThat(backup).isRegularFile();
    assertThat(new SqliteFile(backup).integrityProblems()).isEmpty();
    assertThat(dir.resolve("backups")).isDirectoryNotContaining("glob:**.partial");

    Cli.Result exists = cli.run("backup", backup.toString());
    assertThat(exists.exit()).isEqualTo(1);
    assertThat(exists.err()).contains("--force");
    assertThat(cli.run("backup", backup.toString(), "--force").exit()).isZero();

    cli.json("tasks", "create", "Lost by the restore");
    Cli.Result busy = cli.run("restore", backup.toString(), "--yes");
    assertThat(busy.exit()).isEqualTo(1);
    assertThat(busy.err()).contains("in use", "stop the server");

    server.stop();
    JsonNode dry = cli.json("restore", backup.toString(), "--dry-run");
    assertThat(dry.path("dry_run").asBoolean()).isTrue();
    assertThat(dry.path("previous").asString()).isEqualTo(db + ".bak-20260301-120000");
    assertThat(dir.resolve("delega.db.bak-20260301-120000")).doesNotExist();
    assertThat(cli.run("restore", backup.toString()).err()).contains("--yes");

    JsonNode restored = cli.json("restore", backup.toString(), "--yes");
    assertThat(restored.path("restored").asBoolean()).isTrue();
    assertThat(dir.resolve("delega.db.bak-20260301-120000")).isRegularFile();
    assertThat(new SqliteFile(dir.resolve("delega.db.bak-20260301-120000")).count("tasks")).isEqualTo(2);

    server.start();
    Cli after = Cli.against(server.rootUrl(), server.adminKey());
    assertThat(after.json("tasks", "list")).extracting(t -> t.path("content").asString()).containsExactly("Kept by the backup");
  }

  @Test
  void refusesFilesThatAreNotDelegaDatabasesAndPostgres() throws Exception {
    Cli cli = new Cli().env("DELEGA_DB_PATH", db.toString());
    Path other = dir.resolve("other.db");
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + other); var s = c.createStatement()) {
      s.execute("CREATE TABLE t (x INTEGER)");
    }
    server.stop();
    Cli.Result wrong = cli.run("restore", other.toString(), "--yes");
    assertThat(wrong.exit()).isEqualTo(1);
    assertThat(wrong.err()).contains("not a Delega database");

    Path garbage = dir.resolve("garbage.db");
    Files.writeString(garbage, "this is not sqlite at all, not even a little bit".repeat(100));
    assertThat(cli.run("restore", garbage.toString(), "--yes").exit()).isEqualTo(1);
    assertThat(cli.run("restore", dir.resolve("missing.db").toString(), "--yes").err()).contains("No backup");
    assertThat(cli.run("backup", dir.resolve("x.db").toString(), "--db-path", dir.resolve("none.db").toString()).err())
        .contains("No database");

    Cli.Result pg = new Cli().env("DELEGA_DATABASE_URL", "postgres://u:p@localhost/delega").run("backup", "x.db");
    assertThat(pg.exit()).isEqualTo(1);
    assertThat(pg.err()).contains("pg_dump");
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("delega-backup-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
