package dev.delega.cli;

import dev.delega.api.Json;
import dev.delega.client.DelegaClient;
import dev.delega.client.RawResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code delega restore FILE}: replaces the SQLite database with a backup. It refuses while a
 * server has the database open (an exclusive lock is refused, or the server on the configured
 * port reports this file), checks the backup's integrity, copies it next to the database, moves
 * the current file (and its WAL) aside as {@code <file>.bak-<timestamp>}, and renames the copy into
 * place atomically.
 */
@Command(name = "restore", description = "Replace the SQLite database with a backup (the server must be stopped); the old file is kept as <db>.bak-<timestamp>.")
final class RestoreCommand extends DelegaCommand {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  @Parameters(paramLabel = "<file>", description = "The backup to restore.")
  String source;

  @Mixin DatabaseOptions database;

  @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
  boolean yes;

  @Option(names = "--dry-run", description = "Check everything and say what would happen, without changing files.")
  boolean dryRun;

  @Override
  int run() throws Exception {
    SqliteFile backup = new SqliteFile(session().resolve(source));
    if (!backup.exists()) {
      throw new CliException("No backup at " + backup.path());
    }
    Path dbPath = database.resolve(session());
    SqliteFile current = new SqliteFile(dbPath);
    if (backup.path().equals(current.path())) {
      throw new CliException("The backup is the database itself: " + dbPath);
    }
    progress("Checking " + backup.path() + " …");
    List<String> problems = backup.integrityProblems();
    if (!problems.isEmpty()) {
      throw new CliException("The backup failed its integrity check: " + String.join("; ", problems.subList(0, Math.min(5, problems.size()))));
    }
    if (!backup.looksLikeDelega()) {
      throw new CliException(backup.path() + " is a SQLite file but not a Delega database (no tasks/agents tables)");
    }
    progressDone();
    String running = serverUsing(current.path());
    if (running != null || current.inUse()) {
      throw new CliException("The database " + current.path() + " is in use" + (running == null ? "" : " by the server at " + running)
          + ": stop the server first, then restore.");
    }
    String stamp = STAMP.format(session().clock().instant());
    Path aside = current.exists() ? current.path().resolveSibling(current.path().getFileName() + ".bak-" + stamp) : null;
    ObjectNode out = Json.mapper().createObjectNode();
    out.put("file", backup.path().toString());
    out.put("db_path", current.path().toString());
    out.put("previous", aside == null ? null : aside.toString());
    out.put("integrity", "ok");
    out.put("tasks", backup.count("tasks"));
    out.put("agents", backup.count("agents"));
    if (dryRun) {
      out.put("dry_run", true);
      return answer(out, () -> "Would restore " + backup.path() + " (" + Text.count(out.path("tasks").asLong(), "task") + ", " + Text.count(out.path("agents").asLong(), "agent")
            + ") over " + current.path() + (aside == null ? "." : "; the current file would be kept as " + aside + "."));
    }
    confirm(yes, "Replace " + current.path() + " with " + backup.path() + "?");
    Files.createDirectories(current.path().getParent());
    Path staged = current.path().resolveSibling("." + current.path().getFileName() + ".restore-" + stamp);
    Files.deleteIfExists(staged);
    try {
      progress("Copying the backup …");
      backup.copyTo(staged);
      List<String> stagedProblems = new SqliteFile(staged).integrityProblems();
      if (!stagedProblems.isEmpty()) {
        throw new CliException("The staged copy failed its integrity check: " + stagedProblems.get(0));
      }
      if (aside != null) {
        move(current.path(), aside);
        Path wal = current.path().resolveSibling(current.path().getFileName() + "-wal");
        if (Files.exists(wal)) {
          move(wal, aside.resolveSibling(aside.getFileName() + "-wal"));
        }
      }
      Files.deleteIfExists(current.path().resolveSibling(current.path().getFileName() + "-shm"));
      move(staged, current.path());
    } finally {
      progressDone();
      Files.deleteIfExists(staged);
    }
    out.put("restored", true);
    return answer(out, () -> "Restored " + backup.path() + " to " + current.path() + " (" + Text.count(out.path("tasks").asLong(), "task") + ", "
          + Text.count(out.path("agents").asLong(), "agent") + ")." + (aside == null ? "" : " The previous database is kept as " + aside + "."));
  }

  /**
   * The URL of a server on the configured host and port whose store is this file, or null. A server
   * elsewhere, or one that does not say, is left to the lock test.
   */
  private String serverUsing(Path db) {
    String host = session().var("DELEGA_HOST");
    String port = session().var("DELEGA_PORT");
    if (host == null || host.equals("0.0.0.0") || host.equals("::")) {
      host = "127.0.0.1";
    }
    String root = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + (port == null ? "18890" : port);
    try (DelegaClient c = DelegaClient.builder().baseUrl(root + "/api").allowInsecureHttp(true).timeout(java.time.Duration.ofSeconds(2)).retries(0).build()) {
      RawResponse r = c.send("GET", root + "/health/ready");
      if (r.isEmpty()) {
        return null;
      }
      JsonNode store = r.json().path("components").path("store");
      if (store.isMissingNode()) {
        store = r.json().path("store");
      }
      String backend = store.path("backend").asString("");
      return backend.startsWith("sqlite:") && Path.of(backend.substring(7)).toAbsolutePath().normalize().equals(db) ? root : null;
    } catch (RuntimeException unreachable) {
      return null;
    }
  }

  private static void move(Path from, Path to) throws java.io.IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }
}
