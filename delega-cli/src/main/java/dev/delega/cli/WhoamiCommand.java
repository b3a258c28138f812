package dev.delega.cli;

import picocli.CommandLine.Command;
import tools.jackson.databind.JsonNode;

/** {@code delega whoami}: the agent the configured key belongs to ({@code GET /agent/me}). */
@Command(name = "whoami", description = "Show the agent the configured key belongs to.")
final class WhoamiCommand extends DelegaCommand {
  @Override
  int run() {
    Target target = target();
    try (Api api = api()) {
      JsonNode me = api.get("/agent/me");
      if (json) {
        printer().json(me);
        return 0;
      }
      JsonNode a = me.path("agent");
      Printer p = printer();
      p.line(p.bold(a.path("name").asString()) + " (#" + a.path("id").asString() + ")");
      p.field("Display name", Text.of(a, "display_name"), 12);
      p.field("Role", Text.of(a, "role"), 12);
      p.field("Permissions", Text.list(a.path("permissions")), 12);
      p.field("Active", a.path("active").asBoolean(true) ? "yes" : "no", 12);
      p.field("Key", Printer.mask(target.apiKey()) + " (from " + target.keySource() + ")", 12);
      p.field("Server", target.base(), 12);
      return 0;
    }
  }
}
