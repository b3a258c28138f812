package dev.delega.cli;

import dev.delega.api.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Human renderings of tasks: table rows, the detail view, and a delegation chain as a tree. */
final class TaskText {
  static final List<String> HEADERS = List.of("ID", "PRI", "STATUS", "ASSIGNEE", "DUE", "CONTENT");

  private TaskText() {}

  static List<String> row(Printer p, JsonNode t) {
    return List.of(
        "#" + t.path("id").asString(),
        p.priority(t.path("priority").asInt(1)),
        p.status(t.path("status").asString("")),
        Text.agentName(t, "assigned_to"),
        t.path("due_date").isString() ? t.path("due_date").asString() : "",
        Printer.clip(t.path("content").asString(""), 60));
  }

  static void table(Printer p, JsonNode tasks, String empty) {
    if (!tasks.isArray() || tasks.isEmpty()) {
      p.line(empty);
      return;
    }
    List<List<String>> rows = new ArrayList<>();
    tasks.forEach(t -> rows.add(row(p, t)));
    p.table(HEADERS, rows);
  }

  /** Every field a person wants to see, then the description, context and comments. */
  static void detail(Printer p, JsonNode t, JsonNode comments) {
    int w = 12;
    p.line(p.bold("#" + t.path("id").asString() + " " + t.path("content").asString("")));
    p.field("Status", p.status(t.path("status").asString(null)) + sessionState(t), w);
    p.field("Priority", p.priority(t.path("priority").asInt(1)), w);
    p.field("Labels", Text.list(t.path("labels")), w);
    p.field("Due", join(Text.of(t, "due_date"), Text.of(t, "due_time")), w);
    JsonNode project = t.path("project");
    p.field("Project", project.isObject() ? project.path("name").asString() + " (#" + project.path("id").asString() + ")" : Text.of(t, "project_id"), w);
    p.field("Assigned to", Text.agent(t, "assigned_to"), w);
    p.field("Created by", Text.agent(t, "created_by"), w);
    String accountable = Text.agent(t, "accountable");
    if (accountable != null && !accountable.equals(Text.agent(t, "created_by"))) {
      p.field("Accountable", accountable, w);
    }
    if (t.path("parent_task_id").isNumber() || t.path("delegation_depth").asInt(0) > 0) {
      p.field("Delegation", "depth " + t.path("delegation_depth").asInt(0) + ", parent #" + t.path("parent_task_id").asString()
          + ", root #" + t.path("root_task_id").asString(), w);
      p.field("Delegated by", Text.agent(t, "delegated_by"), w);
    }
    String claimed = Text.agent(t, "claimed_by");
    if (claimed != null) {
      p.field("Claimed by", claimed + leaseText(t), w);
    }
    p.field("Handoff", Text.of(t, "handoff_note"), w);
    p.field("Blocked by", Text.ids(t.path("blocked_by")), w);
    p.field("Evidence", "required".equals(Text.of(t, "evidence_policy")) ? "required to complete" : null, w);
    p.field("Created", Text.time(Text.of(t, "created_at")), w);
    p.field("Updated", Text.time(Text.of(t, "updated_at")), w);
    if (t.path("completed").asBoolean(false)) {
      String by = Text.agent(t, "completed_by");
      p.field("Completed", Text.time(Text.of(t, "completed_at")) + (by == null ? "" : " by " + by), w);
    }
    p.field("Next", Text.of(t, "next_occurrence"), w);
    String description = Text.of(t, "description");
    if (description != null) {
      p.blank();
      p.line(p.bold("Description"));
      description.lines().forEach(l -> p.line("  " + l));
    }
    JsonNode evidence = t.path("completion_evidence");
    if (evidence.isArray() && !evidence.isEmpty()) {
      p.blank();
      p.line(p.bold("Completion evidence"));
      evidence.forEach(e -> p.line("  " + e.path("kind").asString() + ": " + e.path("ref").asString()
          + (Text.of(e, "summary") == null ? "" : " — " + Text.of(e, "summary"))));
    }
    JsonNode subtasks = t.path("subtasks");
    if (subtasks.isArray() && !subtasks.isEmpty()) {
      p.blank();
      p.line(p.bold("Subtasks"));
      subtasks.forEach(s -> p.line("  [" + (s.path("completed").asBoolean(false) ? "x" : " ") + "] " + s.path("content").asString()));
    }
    JsonNode context = t.path("context");
    if (context.isObject() && !context.isEmpty()) {
      p.blank();
      p.line(p.bold("Context") + (t.has("context_version") ? p.dim(" (version " + t.path("context_version").asString() + ")") : ""));
      Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(context).lines().forEach(l -> p.line("  " + l));
    }
    if (comments != null && comments.isArray() && !comments.isEmpty()) {
      p.blank();
      p.line(p.bold("Comments"));
      comments.forEach(c -> {
        String who = Text.of(c, "author");
        if (who == null && c.path("agent").isObject()) {
          who = Text.of(c.path("agent"), "name");
        }
        p.line("  " + p.dim(Text.time(Text.of(c, "created_at")) + (who == null ? "" : " " + who) + ":") + " " + c.path("content").asString());
      });
    }
  }

  /** The delegation tree, root first, children indented under their parents. */
  static void chain(Printer p, JsonNode chain) {
    JsonNode nodes = chain.path("chain");
    long rootId = chain.path("root_id").asLong(chain.path("root").path("id").asLong(0));
    Map<Long, JsonNode> byId = new LinkedHashMap<>();
    nodes.forEach(n -> byId.put(n.path("id").asLong(), n));
    if (!byId.containsKey(rootId) && chain.path("root").isObject()) {
      byId.put(rootId, chain.path("root"));
    }
    Map<Long, List<JsonNode>> children = new LinkedHashMap<>();
    for (JsonNode n : byId.values()) {
      long id = n.path("id").asLong();
      if (id == rootId) {
        continue;
      }
      long parent = n.path("parent_task_id").asLong(rootId);
      if (!byId.containsKey(parent)) {
        parent = rootId;
      }
      children.computeIfAbsent(parent, k -> new ArrayList<>()).add(n);
    }
    p.line(p.dim("Delegation chain: root #" + rootId + ", depth " + chain.path("depth").asInt(0) + ", "
        + chain.path("completed_count").asInt(0) + "/" + chain.path("total_count").asInt(byId.size()) + " complete"));
    JsonNode root = byId.get(rootId);
    if (root == null) {
      p.line("(empty chain)");
      return;
    }
    p.line(node(p, root));
    branch(p, rootId, children, "");
  }

  private static void branch(Printer p, long parent, Map<Long, List<JsonNode>> children, String indent) {
    List<JsonNode> kids = children.getOrDefault(parent, List.of());
    for (int i = 0; i < kids.size(); i++) {
      boolean last = i == kids.size() - 1;
      JsonNode k = kids.get(i);
      p.line(indent + (last ? "└── " : "├── ") + node(p, k));
      branch(p, k.path("id").asLong(), children, indent + (last ? "    " : "│   "));
    }
  }

  private static String node(Printer p, JsonNode t) {
    String assignee = Text.agentName(t, "assigned_to");
    return "#" + t.path("id").asString() + " " + Printer.clip(t.path("content").asString(""), 60)
        + " [" + p.status(t.path("status").asString(t.path("completed").asBoolean(false) ? "completed" : "open")) + "]"
        + ("—".equals(assignee) ? "" : p.dim(" → " + assignee));
  }

  private static String sessionState(JsonNode t) {
    String s = Text.of(t, "session_state");
    if (s == null) {
      return "";
    }
    String d = Text.of(t, "session_state_detail");
    return " (" + s + (d == null ? "" : ": " + d) + ")";
  }

  private static String leaseText(JsonNode t) {
    String until = Text.time(Text.of(t, "lease_expires_at"));
    String token = Text.of(t, "lease_token");
    return (until == null ? "" : ", lease until " + until) + (token == null ? "" : ", token " + token);
  }

  private static String join(String a, String b) {
    if (a == null) {
      return b;
    }
    return b == null ? a : a + " " + b;
  }
}
