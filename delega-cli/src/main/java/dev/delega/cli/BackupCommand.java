package dev.delega.cli;

import dev.delega.api.Json;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code delega backup FILE}: a consistent copy of the SQLite database, safe while the server runs
 * ({@code VACUUM INTO} reads one snapshot; WAL readers do not block the server's writer). The copy
 * is written next to FILE, checked with {@code PRAGMA integrity_check}, and only then renamed to
 * FILE.
 */
@Command(name = "backup", description = "Write a consistent copy of the SQLite database (safe while the server runs), then verify it.",
    footer = {"", "Example: delega backup backups/delega-$(date +%F).db"})
final class BackupCommand extends DelegaCommand {
  @Parameters(paramLabel = "<file>", description = "Where to write the copy.")
  String target;

  @Mixin DatabaseOptions database;

  @Option(names = {"-f", "--force"}, description = "Replace <file> if it exists.")
  boolean force;

  @Override
  int run() throws Exception {
    SqliteFile source = new SqliteFile(database.resolve(session()));
    if (!source.exists()) {
      throw new CliException("No database at " + source.path() + " (set --db-path or DELEGA_DB_PATH)");
    }
    Path out = session().resolve(target);
    if (Files.isDirectory(out)) {
      throw new CliException(out + " is a directory; name the backup file");
    }
    if (Files.exists(out) && !force) {
      throw new CliException(out + " exists; pass --force to replace it");
    }
    Path dir = out.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path partial = dir.resolve("." + out.getFileName() + ".partial");
    Files.deleteIfExists(partial);
    try {
      progress("Copying " + source.path() + " …");
      source.copyTo(partial);
      progress("Checking the copy's integrity …");
      SqliteFile copy = new SqliteFile(partial);
      List<String> problems = copy.integrityProblems();
      if (!problems.isEmpty()) {
        throw new CliException("The copy failed its integrity check: " + String.join("; ", problems.subList(0, Math.min(5, problems.size()))));
      }
      long tasks = copy.looksLikeDelega() ? copy.count("tasks") : -1;
      long agents = tasks >= 0 ? copy.count("agents") : -1;
      try {
        Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING);
      }
      progressDone();
      long bytes = Files.size(out);
      if (json) {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("file", out.toString());
        o.put("source", source.path().toString());
        o.put("bytes", bytes);
        o.put("integrity", "ok");
        if (tasks >= 0) {
          o.put("tasks", tasks);
          o.put("agents", agents);
        }
        printer().json(o);
      } else {
        printer().line("Backed up " + source.path() + " to " + out + " (" + human(bytes)
            + (tasks >= 0 ? ", " + Text.count(tasks, "task") + ", " + Text.count(agents, "agent") : "") + "); integrity ok.");
      }
      return 0;
    } finally {
      progressDone();
      Files.deleteIfExists(partial);
    }
  }

  static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return String.format("%.1f KiB", bytes / 1024.0);
    }
    return String.format("%.1f MiB", bytes / (1024.0 * 1024));
  }
}
