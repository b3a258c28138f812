package dev.delega.cli;

import dev.delega.api.Json;
import java.nio.file.Files;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.node.ObjectNode;

/** {@code delega reset}: forgets the saved URL and key by deleting {@code ~/.delega}. */
@Command(name = "reset", description = "Delete the saved configuration and key (~/.delega).")
final class ResetCommand extends DelegaCommand {
  @Option(names = {"-y", "--yes", "--force"}, description = "Do not ask for confirmation.")
  boolean yes;

  @Option(names = "--dry-run", description = "Show what would be removed.")
  boolean dryRun;

  @Override
  int run() {
    ConfigFile config = new ConfigFile(session().home());
    boolean exists = Files.exists(config.dir());
    ObjectNode out = Json.mapper().createObjectNode();
    out.put("config_dir", config.dir().toString());
    if (dryRun) {
      out.put("dry_run", true);
      out.put("would_remove", exists);
      return answer(out, () -> exists ? "Would remove " + config.dir() : "Nothing to remove: " + config.dir() + " does not exist.");
    }
    if (exists) {
      confirm(yes, "Remove " + config.dir() + " and the key saved in it?");
    }
    boolean removed = config.delete();
    out.put("config_dir_removed", removed);
    return answer(out, () -> removed ? "Removed " + config.dir() + "." : "Nothing to remove: " + config.dir() + " does not exist.");
  }
}
