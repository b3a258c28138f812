package dev.delega.cli;

import picocli.CommandLine.Command;
import tools.jackson.databind.JsonNode;

/** {@code delega usage}: plan, counts and limits (a self-hosted server has no limits). */
@Command(name = "usage", description = "Show the plan, counts and limits.")
final class UsageCommand extends DelegaCommand {
  @Override
  int run() {
    try (Api api = api()) {
      JsonNode u = api.get("/usage");
      if (json) {
        printer().json(u);
        return 0;
      }
      Printer p = printer();
      int w = 17;
      p.field("Plan", Text.of(u, "plan"), w);
      p.field("Tasks this month", counted(u, first(u, "task_count_month", "tasks_this_month"), first(u, "task_limit", "limit")), w);
      p.field("Tasks", Text.of(u, "task_count"), w);
      p.field("Agents", counted(u, Text.of(u, "agent_count"), Text.of(u, "agent_limit")), w);
      p.field("Webhooks", counted(u, Text.of(u, "webhook_count"), Text.of(u, "webhook_limit")), w);
      p.field("Projects", counted(u, Text.of(u, "project_count"), Text.of(u, "project_limit")), w);
      p.field("Rate limit", Text.of(u, "rate_limit_rpm") == null ? null : Text.of(u, "rate_limit_rpm") + " requests/min", w);
      p.field("Max content", Text.of(u, "max_content_chars") == null ? null : Text.of(u, "max_content_chars") + " characters", w);
      p.field("Resets", first(u, "reset_date", "resets_at"), w);
      return 0;
    }
  }

  private static String counted(JsonNode u, String count, String limit) {
    if (count == null) {
      return null;
    }
    return count + " / " + (limit == null ? "unlimited" : limit);
  }

  private static String first(JsonNode u, String a, String b) {
    String v = Text.of(u, a);
    return v != null ? v : Text.of(u, b);
  }
}
