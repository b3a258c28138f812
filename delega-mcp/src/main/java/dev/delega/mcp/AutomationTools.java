package dev.delega.mcp;

import static dev.delega.mcp.Schema.anyOf;
import static dev.delega.mcp.Schema.array;
import static dev.delega.mcp.Schema.bool;
import static dev.delega.mcp.Schema.id;
import static dev.delega.mcp.Schema.integer;
import static dev.delega.mcp.Schema.nullable;
import static dev.delega.mcp.Schema.nullableId;
import static dev.delega.mcp.Schema.object;
import static dev.delega.mcp.Schema.oneOf;
import static dev.delega.mcp.Schema.str;
import static dev.delega.mcp.Schema.strings;

import dev.delega.api.Automation;
import dev.delega.api.AutomationAction;
import dev.delega.api.AutomationCondition;
import dev.delega.api.AutomationUpdate;
import dev.delega.api.IngressFilter;
import dev.delega.api.IngressSource;
import dev.delega.api.IngressSourceUpdate;
import dev.delega.api.IngressTemplate;
import dev.delega.api.NewAutomation;
import dev.delega.api.NewIngressSource;
import dev.delega.api.NewRecurrence;
import dev.delega.api.Recurrence;
import dev.delega.api.RecurrenceUpdate;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The automation tools: when-then rules, signed ingress sources and recurring tasks. */
final class AutomationTools {
  static final List<String> CONDITION_FIELDS =
      List.of("label", "priority", "project_id", "assigned_to_agent_id", "created_by_agent_id", "source");
  static final List<String> CONDITION_OPS =
      List.of("has", "not_has", "eq", "neq", "gte", "lte", "is_null", "not_null");
  static final List<String> ACTION_TYPES =
      List.of(
          "assign",
          "set_priority",
          "add_label",
          "add_comment",
          "create_task",
          "delegate",
          "set_evidence_policy");
  static final List<String> FILTER_OPS = List.of("eq", "neq", "exists", "not_exists");
  static final List<String> RULE_TYPES = List.of("daily", "weekly", "monthly", "yearly");

  private AutomationTools() {}

  static List<ToolDef> tools() {
    return List.of(
        listAutomations(),
        createAutomation(),
        updateAutomation(),
        deleteAutomation(),
        listIngress(),
        createIngress(),
        updateIngress(),
        deleteIngress(),
        listRecurrences(),
        createRecurrence(),
        updateRecurrence(),
        deleteRecurrence());
  }

  // ---- automations ----

  static Map<String, Object> condition() {
    return object()
        .req("field", oneOf("Task field to test", CONDITION_FIELDS))
        .req(
            "op",
            oneOf(
                "Comparison (label: has/not_has; priority: eq/neq/gte/lte; ids:"
                    + " eq/neq/is_null/not_null; source: eq/neq)",
                CONDITION_OPS))
        .opt(
            "value",
            anyOf(
                "Comparison value (omit for is_null/not_null)",
                Map.of("type", "string"),
                Map.of("type", "number")))
        .build("One condition; all conditions must match (AND)");
  }

  static Map<String, Object> action() {
    return object()
        .req("type", oneOf("Action verb", ACTION_TYPES))
        .opt("agent_id", id("Agent to assign/delegate to (assign, delegate)"))
        .opt("priority", integer("Priority 1-4 (set_priority, create_task, delegate)", 1, 4))
        .opt("label", str("Label to add (add_label)"))
        .opt("policy", oneOf("Evidence policy (set_evidence_policy)", "required"))
        .opt(
            "content",
            str(
                "Text template (add_comment, create_task, delegate). Placeholders: {{event}},"
                    + " {{task.id}}, {{task.content}}, {{task.priority}}, {{task.project_id}},"
                    + " {{task.labels}}, {{task.due_date}}"))
        .opt("description", str("Description template (create_task, delegate)"))
        .opt("project_id", id("Project for the new task (create_task)"))
        .opt("labels", strings("Labels for the new task (create_task, delegate)"))
        .opt("assigned_to_agent_id", id("Assignee for the new task (create_task)"))
        .build("One action to run when the rule matches");
  }

  private static ToolDef listAutomations() {
    return new ToolDef(
        "list_automations",
        "List all automation rules, with run/failure counts (admin only).",
        object().build(),
        c -> Render.automations(c.client().automations().list()));
  }

  private static ToolDef createAutomation() {
    return new ToolDef(
        "create_automation",
        "Create an automation rule: when an event fires and all conditions match, run the actions"
            + " in-process — no webhook receiver needed (admin only). Example: when a task labeled"
            + " bug is created, assign it to an agent at priority 3. Safety: cascades are depth-"
            + " and rate-capped, rules never react to tasks they created, and field changes on"
            + " tasks under a live claim are skipped (comments are still added).",
        object()
            .req("name", str("Short human-readable rule name", 80))
            .req("event", oneOf("Event that triggers the rule", AccountTools.EVENTS))
            .opt("conditions", array("Conditions, AND-combined; omit to match every event", condition(), null, 10))
            .req("actions", array("Actions to run in order", action(), 1, 5))
            .opt("active", bool("Set false to create the rule disabled"))
            .build(),
        c -> {
          Args a = c.args();
          Automation rule =
              c.client()
                  .automations()
                  .create(
                      new NewAutomation(
                          a.text("name"),
                          a.text("event"),
                          conditions(a.optObjects("conditions")),
                          actions(a.optObjects("actions")),
                          a.optBool("active")));
          return "Automation created:\n" + Render.automation(rule);
        });
  }

  private static ToolDef updateAutomation() {
    return new ToolDef(
        "update_automation",
        "Update an automation rule (admin only). Only supplied fields change; lists are replaced"
            + " whole. Setting active true re-enables a rule that was auto-disabled after repeated"
            + " failures.",
        object()
            .req("automation_id", id("Automation rule ID to update"))
            .opt("name", str("New rule name", 80))
            .opt("event", oneOf("New trigger event", AccountTools.EVENTS))
            .opt("conditions", array("Replacement conditions (full replacement, not a merge)", condition(), null, 10))
            .opt("actions", array("Replacement actions (full replacement, not a merge)", action(), 1, 5))
            .opt("active", bool("Enable or disable the rule"))
            .build(),
        c -> {
          Args a = c.args();
          AutomationUpdate u = AutomationUpdate.create();
          if (a.present("name")) {
            u.name(a.optText("name"));
          }
          if (a.present("event")) {
            u.event(a.optText("event"));
          }
          if (a.present("conditions")) {
            u.conditions(conditions(a.optObjects("conditions")));
          }
          if (a.present("actions")) {
            u.actions(actions(a.optObjects("actions")));
          }
          if (a.present("active")) {
            u.active(a.optBool("active"));
          }
          Automation rule = c.client().automations().update(a.id("automation_id"), u);
          return "Automation updated:\n" + Render.automation(rule);
        });
  }

  private static ToolDef deleteAutomation() {
    return new ToolDef(
        "delete_automation",
        "Delete an automation rule and its run log by ID (admin only).",
        object().req("automation_id", id("Automation rule ID to delete")).build(),
        c -> {
          long id = c.args().id("automation_id");
          c.client().automations().delete(id);
          return "Automation #" + id + " deleted.";
        });
  }

  private static List<AutomationCondition> conditions(List<Map<String, Object>> items) {
    if (items == null) {
      return null;
    }
    List<AutomationCondition> out = new ArrayList<>();
    for (Map<String, Object> m : items) {
      out.add(new AutomationCondition(text(m, "field"), text(m, "op"), m.get("value")));
    }
    return out;
  }

  private static List<AutomationAction> actions(List<Map<String, Object>> items) {
    if (items == null) {
      return null;
    }
    List<AutomationAction> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      Map<String, Object> m = items.get(i);
      String at = "actions[" + i + "].";
      Object priority = m.get("priority");
      out.add(
          new AutomationAction(
              text(m, "type"),
              Args.toId(at + "agent_id", m.get("agent_id")),
              priority instanceof Number n ? n.intValue() : null,
              text(m, "label"),
              text(m, "policy"),
              text(m, "content"),
              text(m, "description"),
              Args.toId(at + "project_id", m.get("project_id")),
              stringList(m.get("labels")),
              Args.toId(at + "assigned_to_agent_id", m.get("assigned_to_agent_id"))));
    }
    return out;
  }

  // ---- ingress ----

  static Map<String, Object> template() {
    return object()
        .req("content", str("Task content template, e.g. 'CI failed on {{payload.branch}}'", 2000))
        .opt("description", str("Description template"))
        .opt("priority", integer("Priority 1-4", 1, 4))
        .opt("labels", array("Labels for created tasks", Map.of("type", "string"), null, 10))
        .opt("dedupe_key", str("Template whose value identifies repeats, e.g. '{{payload.id}}'"))
        .build("How an inbound payload becomes a task");
  }

  static Map<String, Object> filter() {
    return object()
        .req("path", str("Payload path, e.g. 'payload.status'", 200))
        .req("op", oneOf("Comparison", FILTER_OPS))
        .opt(
            "value",
            anyOf(
                "Value to compare with (omit for exists/not_exists)",
                Map.of("type", "string"),
                Map.of("type", "number"),
                Map.of("type", "boolean")))
        .build("One filter; all filters must match for a task to be created");
  }

  private static ToolDef listIngress() {
    return new ToolDef(
        "list_ingress_sources",
        "List signed inbound ingress sources that turn external events (CI, alerts, calendars)"
            + " into tasks (admin only).",
        object().build(),
        c -> Render.ingressSources(c.client().ingressSources().list()));
  }

  private static ToolDef createIngress() {
    return new ToolDef(
        "create_ingress_source",
        "Create a signed ingress source (admin only): senders POST JSON to its ingest path with"
            + " X-Delega-Ingress-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t.body)>, and"
            + " matching payloads become tasks from the template. Tasks from ingress are marked as"
            + " untrusted external content. The secret is shown once.",
        object()
            .req("name", str("Source name", 80))
            .req("template", template())
            .opt("filters", array("Filters, AND-combined", filter(), null, 10))
            .opt("default_project_id", id("Project for created tasks"))
            .opt("default_assignee_agent_id", id("Assignee for created tasks"))
            .opt("active", bool("Set false to create the source disabled"))
            .build(),
        c -> {
          Args a = c.args();
          IngressSource s =
              c.client()
                  .ingressSources()
                  .create(
                      new NewIngressSource(
                          a.text("name"),
                          template(a.optObject("template")),
                          filters(a.optObjects("filters")),
                          a.optId("default_project_id"),
                          a.optId("default_assignee_agent_id"),
                          a.optBool("active")));
          return "Ingress source created:\n\n" + Render.ingress(s, c.options().revealWebhookSecrets());
        });
  }

  private static ToolDef updateIngress() {
    return new ToolDef(
        "update_ingress_source",
        "Update an ingress source (admin only). Only supplied fields change; the defaults may be"
            + " cleared with null; rotate_secret issues a new signing secret (shown once).",
        object()
            .req("source_id", id("Ingress source ID to update"))
            .opt("name", str("New name", 80))
            .opt("template", template())
            .opt("filters", array("Replacement filters", filter(), null, 10))
            .opt("default_project_id", nullableId("Project for created tasks, or null to clear"))
            .opt("default_assignee_agent_id", nullableId("Assignee for created tasks, or null to clear"))
            .opt("active", bool("Enable or disable the source"))
            .opt("rotate_secret", bool("Issue a new signing secret"))
            .build(),
        c -> {
          Args a = c.args();
          IngressSourceUpdate u = IngressSourceUpdate.create();
          if (a.present("name")) {
            u.name(a.optText("name"));
          }
          if (a.present("template")) {
            u.template(template(a.optObject("template")));
          }
          if (a.present("filters")) {
            u.filters(filters(a.optObjects("filters")));
          }
          if (a.has("default_project_id")) {
            u.defaultProjectId(a.optId("default_project_id"));
          }
          if (a.has("default_assignee_agent_id")) {
            u.defaultAssigneeAgentId(a.optId("default_assignee_agent_id"));
          }
          if (a.present("active")) {
            u.active(a.optBool("active"));
          }
          if (a.present("rotate_secret")) {
            u.rotateSecret(a.optBool("rotate_secret"));
          }
          IngressSource s = c.client().ingressSources().update(a.id("source_id"), u);
          return "Ingress source updated:\n\n" + Render.ingress(s, c.options().revealWebhookSecrets());
        });
  }

  private static ToolDef deleteIngress() {
    return new ToolDef(
        "delete_ingress_source",
        "Delete an ingress source by ID (admin only); its ingest path stops accepting events.",
        object().req("source_id", id("Ingress source ID to delete")).build(),
        c -> {
          long id = c.args().id("source_id");
          c.client().ingressSources().delete(id);
          return "Ingress source #" + id + " deleted.";
        });
  }

  private static IngressTemplate template(Map<String, Object> m) {
    if (m == null) {
      return null;
    }
    Object priority = m.get("priority");
    return new IngressTemplate(
        text(m, "content"),
        text(m, "description"),
        priority instanceof Number n ? n.intValue() : null,
        stringList(m.get("labels")),
        text(m, "dedupe_key"));
  }

  private static List<IngressFilter> filters(List<Map<String, Object>> items) {
    if (items == null) {
      return null;
    }
    List<IngressFilter> out = new ArrayList<>();
    for (Map<String, Object> m : items) {
      out.add(new IngressFilter(text(m, "path"), text(m, "op"), m.get("value")));
    }
    return out;
  }

  // ---- recurrences ----

  private static ToolDef listRecurrences() {
    return new ToolDef(
        "list_recurrences",
        "List recurring task templates. Recurrences spawn normal task instances on schedule;"
            + " completing an instance does not delete the schedule.",
        object().build(),
        c -> Render.recurrences(c.client().recurrences().list()));
  }

  private static Schema.Obj recurrenceFields(Schema.Obj o, boolean update) {
    o.opt(
            "description",
            update
                ? nullable(str("Optional task description"))
                : str("Optional task description for spawned instances"))
        .opt(
            "project_id",
            update ? nullableId("Optional project ID, or null to clear") : id("Optional project ID"))
        .opt("labels", strings("Labels for spawned tasks"))
        .opt("priority", integer("Priority 1-4", 1, 4))
        .opt("assigned_to_agent_id", nullableId("Optional assignee for spawned tasks, or null"));
    if (update) {
      o.opt("rule_type", oneOf("Recurrence rule type", RULE_TYPES));
    }
    return o.opt("interval", integer("Rule interval, default 1", 1, null))
        .opt("timezone", str("IANA timezone, e.g. America/Chicago"))
        .opt("anchor_day", maybeNullable(integer("Day of month for monthly/yearly rules", 1, 31), update))
        .opt("anchor_month", maybeNullable(integer("Month for yearly rules", 1, 12), update))
        .opt("anchor_weekday", maybeNullable(integer("Weekday for weekly rules, Sunday=0", 0, 6), update))
        .opt("next_due_at", maybeNullable(str("ISO timestamp of the next due occurrence"), update))
        .opt("skip_if_open", bool("Skip spawning and roll forward while a prior instance is open"));
  }

  private static Map<String, Object> maybeNullable(Map<String, Object> schema, boolean nullable) {
    return nullable ? nullable(schema) : schema;
  }

  private static ToolDef createRecurrence() {
    Schema.Obj o =
        object()
            .req("content", str("Task title/content for spawned instances"))
            .req("rule_type", oneOf("Recurrence rule type", RULE_TYPES));
    return new ToolDef(
        "create_recurring_task",
        "Create a recurring task template. The scheduler spawns normal task instances from it,"
            + " exactly once per occurrence.",
        recurrenceFields(o, false).build(),
        c -> {
          Args a = c.args();
          NewRecurrence.Builder b = NewRecurrence.builder(a.text("content"), a.text("rule_type"));
          b.description(a.optText("description"));
          Long project = a.optId("project_id");
          if (project != null) {
            b.projectId(project);
          }
          b.labels(a.optStrings("labels"));
          if (a.present("priority")) {
            b.priority(a.optInt("priority"));
          }
          Long assignee = a.optId("assigned_to_agent_id");
          if (assignee != null) {
            b.assignedToAgentId(assignee);
          }
          if (a.present("interval")) {
            b.interval(a.optInt("interval"));
          }
          b.timezone(a.optText("timezone"));
          if (a.present("anchor_day")) {
            b.anchorDay(a.optInt("anchor_day"));
          }
          if (a.present("anchor_month")) {
            b.anchorMonth(a.optInt("anchor_month"));
          }
          if (a.present("anchor_weekday")) {
            b.anchorWeekday(a.optInt("anchor_weekday"));
          }
          if (a.present("next_due_at")) {
            b.nextDueAt(instant("next_due_at", a.optText("next_due_at")));
          }
          if (a.present("skip_if_open")) {
            b.skipIfOpen(a.optBool("skip_if_open"));
          }
          Recurrence r = c.client().recurrences().create(b.build());
          return "Recurring task created:\n\n" + Render.recurrence(r);
        });
  }

  private static ToolDef updateRecurrence() {
    Schema.Obj o =
        object()
            .req("recurrence_id", id("The recurrence ID to update"))
            .opt("content", str("Task title/content for future spawned instances"));
    Map<String, Object> schema =
        recurrenceFields(o, true).opt("active", bool("Whether the recurrence is active")).build();
    return new ToolDef(
        "update_recurrence",
        "Update a recurring task template, including pausing/resuming with active=false/true.",
        schema,
        c -> {
          Args a = c.args();
          RecurrenceUpdate u = RecurrenceUpdate.create();
          for (String field :
              List.of(
                  "content",
                  "description",
                  "labels",
                  "priority",
                  "rule_type",
                  "interval",
                  "timezone",
                  "anchor_day",
                  "anchor_month",
                  "anchor_weekday",
                  "active",
                  "skip_if_open")) {
            if (a.has(field) && (a.present(field) || nullableField(field))) {
              u.set(field, a.raw(field));
            }
          }
          if (a.has("project_id")) {
            u.set("project_id", a.optId("project_id"));
          }
          if (a.has("assigned_to_agent_id")) {
            u.set("assigned_to_agent_id", a.optId("assigned_to_agent_id"));
          }
          if (a.has("next_due_at")) {
            String next = a.optText("next_due_at");
            u.set("next_due_at", next == null ? null : Render.instant(instant("next_due_at", next)));
          }
          if (u.isEmpty()) {
            throw new ToolInputException("give at least one field to change besides recurrence_id");
          }
          Recurrence r = c.client().recurrences().update(a.id("recurrence_id"), u);
          return "Recurrence updated:\n\n" + Render.recurrence(r);
        });
  }

  private static boolean nullableField(String field) {
    return field.equals("description") || field.startsWith("anchor_");
  }

  private static ToolDef deleteRecurrence() {
    return new ToolDef(
        "delete_recurrence",
        "Delete a recurring task template. Existing spawned task instances remain as normal tasks.",
        object().req("recurrence_id", id("The recurrence ID to delete")).build(),
        c -> {
          long id = c.args().id("recurrence_id");
          c.client().recurrences().delete(id);
          return "Recurrence #" + id + " deleted.";
        });
  }

  // ---- helpers ----

  static Instant instant(String name, String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(value).toInstant();
      } catch (DateTimeParseException e2) {
        throw new ToolInputException(
            name + " must be an ISO-8601 timestamp such as 2026-05-01T09:00:00Z, got \"" + value + "\"");
      }
    }
  }

  private static String text(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v == null ? null : v.toString();
  }

  private static List<String> stringList(Object v) {
    if (!(v instanceof List<?> list)) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (Object o : list) {
      out.add(String.valueOf(o));
    }
    return out;
  }
}
