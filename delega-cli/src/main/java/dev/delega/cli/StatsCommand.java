package dev.delega.cli;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import tools.jackson.databind.JsonNode;

/** {@code delega stats}: task and agent counters over what the caller may see. */
@Command(name = "stats", description = "Show task and agent counters.")
final class StatsCommand extends DelegaCommand {
  private static final Map<String, String> KNOWN = new java.util.LinkedHashMap<>();

  static {
    KNOWN.put("total_tasks", "Total tasks");
    KNOWN.put("pending_tasks", "Open");
    KNOWN.put("completed_tasks", "Completed");
    KNOWN.put("completed_today", "Completed today");
    KNOWN.put("due_today", "Due today");
    KNOWN.put("overdue", "Overdue");
    KNOWN.put("upcoming", "Upcoming");
    KNOWN.put("total_agents", "Agents");
    KNOWN.put("active_agents", "Active agents");
  }

  /** Keys that repeat a known one under another name. */
  private static final List<String> ALIASES = List.of("total", "total_completed");

  @Override
  int run() {
    try (Api api = api()) {
      JsonNode stats = api.get("/stats");
      if (json) {
        printer().json(stats);
        return 0;
      }
      Printer p = printer();
      KNOWN.forEach((key, label) -> {
        if (stats.has(key)) {
          p.field(label, stats.path(key).asString(), 16);
        }
      });
      for (String key : stats.propertyNames()) {
        if (KNOWN.containsKey(key) || ALIASES.contains(key)) {
          continue;
        }
        JsonNode v = stats.path(key);
        if (v.isObject() && key.equals("by_project")) {
          if (!v.isEmpty()) {
            p.line("  " + p.dim("By project:"));
            for (String project : v.propertyNames()) {
              p.line("    " + Printer.pad(project, 20) + " " + v.path(project).asString());
            }
          }
        } else {
          p.field(key, v.isValueNode() ? v.asString() : v.toString(), 16);
        }
      }
      return 0;
    }
  }
}
