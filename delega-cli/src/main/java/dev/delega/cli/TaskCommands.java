package dev.delega.cli;

import dev.delega.api.Json;
import dev.delega.client.RequestOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code delega tasks …}: create, list, delegate, claim and complete tasks. */
@Command(
    name = "tasks",
    description = "Create, list, delegate, claim and complete tasks.",
    subcommands = {
      TaskCommands.ListTasks.class,
      TaskCommands.Create.class,
      TaskCommands.Show.class,
      TaskCommands.Complete.class,
      TaskCommands.Delete.class,
      TaskCommands.Delegate.class,
      TaskCommands.Assign.class,
      TaskCommands.Chain.class,
      TaskCommands.SetContext.class,
      TaskCommands.Dedup.class,
      TaskCommands.Claim.class,
      TaskCommands.Heartbeat.class,
      TaskCommands.Release.class,
      TaskCommands.Ready.class,
      TaskCommands.Events.class,
      ImportTasks.class
    })
final class TaskCommands extends GroupCommand {

  /** {@code tasks list}. */
  @Command(name = "list", description = "List the tasks you can see (open ones unless told otherwise).")
  static final class ListTasks extends DelegaCommand {
    @Option(names = "--completed", description = "Only completed tasks (the official CLI's meaning).")
    boolean completed;

    @Option(names = {"-a", "--all"}, description = "Open and completed tasks.")
    boolean all;

    @Option(names = "--status", description = "open, in_progress, delegated, waiting_input, blocked or completed.")
    String status;

    @Option(names = "--label", description = "Only tasks with this label (repeatable: all must match).")
    List<String> labels;

    @Option(names = "--priority", description = "1 (normal) to 4 (urgent).")
    Integer priority;

    @Option(names = "--assigned-to", paramLabel = "<agent-id>", description = "Assigned to this agent.")
    Long assignedTo;

    @Option(names = "--created-by", paramLabel = "<agent-id>", description = "Created by this agent.")
    Long createdBy;

    @Option(names = "--project", paramLabel = "<project-id>", description = "In this project.")
    Long project;

    @Option(names = "--due", description = "today, upcoming or overdue.")
    String due;

    @Option(names = "--claimed", arity = "0..1", fallbackValue = "true", paramLabel = "<true|false>", description = "Only claimed (or, with false, unclaimed) tasks.")
    Boolean claimed;

    @Option(names = {"-s", "--search"}, description = "Full-text search in content and description.")
    String search;

    @Option(names = "--root", paramLabel = "<task-id>", description = "Members of this delegation tree.")
    Long root;

    @Option(names = "--limit", description = "At most this many (default 100, max 500).")
    Integer limit;

    @Option(names = "--offset", description = "Skip this many.")
    Integer offset;

    @Override
    int run() {
      String path = new Api.Query("/tasks")
          .add("completed", completed ? true : null)
          .add("include_completed", all ? true : null)
          .add("status", status)
          .addAll("labels", labels)
          .add("priority", priority)
          .add("assigned_to", assignedTo)
          .add("created_by", createdBy)
          .add("project_id", project)
          .add("due", due)
          .add("claimed", claimed)
          .add("search", search)
          .add("root_task_id", root)
          .add("limit", limit)
          .add("offset", offset)
          .toString();
      try (Api api = api()) {
        JsonNode tasks = api.get(path);
        if (json) {
          printer().json(tasks);
        } else {
          TaskText.table(printer(), tasks, "No tasks found.");
        }
        return 0;
      }
    }
  }

  /** {@code tasks create}. */
  @Command(name = "create", description = "Create a task.",
      footer = {"", "Example: delega tasks create \"Rotate the staging DB password\" --priority 3 --labels ops,security"})
  static final class Create extends DelegaCommand {
    @Parameters(arity = "1..*", paramLabel = "<content>", description = "What needs doing (several words are joined).")
    List<String> content;

    @Option(names = {"-p", "--priority"}, description = "1 (normal) to 4 (urgent).")
    Integer priority;

    @Option(names = {"-l", "--labels"}, split = ",", description = "Comma-separated labels.")
    List<String> labels;

    @Option(names = "--due", paramLabel = "<YYYY-MM-DD>", description = "Due date.")
    String due;

    @Option(names = {"-d", "--description"}, description = "Longer description.")
    String description;

    @Option(names = "--project", paramLabel = "<project-id>", description = "Project.")
    Long project;

    @Option(names = "--assign", paramLabel = "<agent-id>", description = "Assign to this agent.")
    Long assign;

    @Option(names = "--blocked-by", split = ",", paramLabel = "<task-id>", description = "Tasks that must complete first.")
    List<Long> blockedBy;

    @Option(names = "--evidence-required", description = "Completion needs evidence (a commit, PR, CI check…).")
    boolean evidenceRequired;

    @Option(names = "--context", paramLabel = "<json>", description = "Initial context, a JSON object.")
    String context;

    @Option(names = "--dedup-check", description = "Refuse (409 duplicate_task) when a similar open task exists.")
    boolean dedupCheck;

    @Option(names = "--force", description = "With --dedup-check: create it anyway.")
    boolean force;

    @Option(names = "--idempotency-key", paramLabel = "<key>", description = "Replays the first answer when sent again.")
    String idempotencyKey;

    @Override
    int run() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("content", String.join(" ", content));
      put(body, "description", description);
      put(body, "priority", priority);
      put(body, "labels", labels);
      put(body, "due_date", due);
      put(body, "project_id", project);
      put(body, "assigned_to_agent_id", assign);
      put(body, "blocked_by", blockedBy);
      put(body, "evidence_policy", evidenceRequired ? "required" : null);
      put(body, "context", context == null ? null : jsonObject(context, "--context"));
      put(body, "dedup_check", dedupCheck ? true : null);
      put(body, "force", force ? true : null);
      RequestOptions options = idempotencyKey == null ? RequestOptions.none() : RequestOptions.idempotent(idempotencyKey);
      try (Api api = api()) {
        JsonNode task = api.post("/tasks", body, options);
        if (json) {
          printer().json(task);
        } else {
          printer().line("Task #" + task.path("id").asString() + " created.");
          TaskText.detail(printer(), task, null);
        }
        return 0;
      }
    }
  }

  /** {@code tasks show}. */
  @Command(name = "show", description = "Show a task with its context and comments.")
  static final class Show extends DelegaCommand {
    @Parameters(paramLabel = "<task-id>")
    long id;

    @Override
    int run() {
      try (Api api = api()) {
        JsonNode task = api.get("/tasks/" + id);
        if (json) {
          printer().json(task);
          return 0;
        }
        JsonNode comments = null;
        try {
          comments = api.get("/tasks/" + id + "/comments");
        } catch (RuntimeException unavailable) {
          comments = null;
        }
        TaskText.detail(printer(), task, comments);
        return 0;
      }
    }
  }

  /** {@code tasks complete}. */
  @Command(name = "complete", description = "Mark a task completed, optionally with evidence.")
  static final class Complete extends DelegaCommand {
    @Parameters(paramLabel = "<task-id>")
    long id;

    @Option(names = {"-e", "--evidence"}, paramLabel = "<kind=ref [summary]>",
        description = "Evidence (repeatable): commit, pr, ci_check, deploy_sha, artifact_url or command_output,"
            + " e.g. --evidence \"pr=https://github.com/o/r/pull/7 tests green\".")
    List<String> evidence;

    @Option(names = "--lease-token", paramLabel = "<n>", description = "Your lease token, when you hold a claim.")
    Long leaseToken;

    @Override
    int run() {
      Object body = null;
      if (evidence != null && !evidence.isEmpty()) {
        List<Map<String, String>> items = new ArrayList<>();
        for (String e : evidence) {
          int eq = e.indexOf('=');
          if (eq <= 0 || eq == e.length() - 1) {
            throw new CliException("--evidence must look like kind=ref [summary], not '" + e + "'");
          }
          String rest = e.substring(eq + 1).strip();
          int space = rest.indexOf(' ');
          Map<String, String> item = new LinkedHashMap<>();
          item.put("kind", e.substring(0, eq).strip());
          item.put("ref", space < 0 ? rest : rest.substring(0, space));
          if (space >= 0) {
            item.put("summary", rest.substring(space + 1).strip());
          }
          items.add(item);
        }
        body = Map.of("evidence", items);
      }
      RequestOptions options = leaseToken == null ? RequestOptions.none() : RequestOptions.lease(leaseToken);
      try (Api api = api()) {
        JsonNode task = api.post("/tasks/" + id + "/complete", body, options);
        return answer(task, () -> "Task #" + id + " completed." + (Text.of(task, "next_occurrence") == null ? ""
              : " Next occurrence: " + Text.of(task, "next_occurrence")));
      }
    }
  }

  /** {@code tasks delete}. */
  @Command(name = "delete", description = "Delete a task permanently.")
  static final class Delete extends DelegaCommand {
    @Parameters(paramLabel = "<task-id>")
    long id;

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
    boolean yes;

    @Option(names = "--dry-run", description = "Show the task that would be deleted.")
    boolean dryRun;

    @Option(names = "--cascade", description = "Also delete its delegated children.")
    boolean cascade;

    @Override
    int run() {
      try (Api api = api()) {
        if (dryRun) {
          JsonNode task = api.get("/tasks/" + id);
          return dryRun("would_delete", task, "Would delete task #" + id + ": " + task.path("content").asString() + (cascade ? " (and its children)" : ""));
        }
        confirm(yes, "Delete task #" + id + "?");
        api.delete(cascade ? "/tasks/" + id + "?cascade=true" : "/tasks/" + id);
        if (json) {
          ObjectNode out = Json.mapper().createObjectNode();
          out.put("id", id);
          out.put("deleted", true);
          printer().json(out);
        } else {
          printer().line("Task #" + id + " deleted.");
        }
        return 0;
      }
    }
  }

  /** {@code tasks delegate}. */
  @Command(name = "delegate", description = "Hand part of a task to another agent as a child task; the parent becomes delegated.")
  static final class Delegate extends DelegaCommand {
    @Parameters(index = "0", paramLabel = "<task-id>")
    long id;

    @Parameters(index = "1", paramLabel = "<agent-id>")
    long agent;

    @Option(names = {"-c", "--content"}, required = true, description = "What the child task is.")
    String content;

    @Option(names = {"-d", "--description"}, description = "Longer description.")
    String description;

    @Option(names = {"-p", "--priority"}, description = "1 (normal) to 4 (urgent).")
    Integer priority;

    @Option(names = {"-l", "--labels"}, split = ",", description = "Comma-separated labels.")
    List<String> labels;

    @Option(names = "--due", paramLabel = "<YYYY-MM-DD>", description = "Due date.")
    String due;

    @Override
    int run() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("content", content);
      body.put("assigned_to_agent_id", agent);
      put(body, "description", description);
      put(body, "priority", priority);
      put(body, "labels", labels);
      put(body, "due_date", due);
      try (Api api = api()) {
        JsonNode child = api.post("/tasks/" + id + "/delegate", body, RequestOptions.none());
        return answer(child, () -> "Task #" + id + " delegated to " + Text.agentName(child, "assigned_to") + " as #" + child.path("id").asString()
              + " (depth " + child.path("delegation_depth").asString() + ").");
      }
    }
  }

  /** {@code tasks assign}. */
  @Command(name = "assign", description = "Assign a task to an agent, or unassign it.")
  static final class Assign extends DelegaCommand {
    @Parameters(index = "0", paramLabel = "<task-id>")
    long id;

    @Parameters(index = "1", arity = "0..1", paramLabel = "<agent-id>")
    Long agent;

    @Option(names = "--unassign", description = "Remove the assignee.")
    boolean unassign;

    @Override
    int run() {
      if (agent == null && !unassign) {
        throw new CliException("Give an <agent-id>, or --unassign");
      }
      if (agent != null && unassign) {
        throw new CliException("Give an <agent-id> or --unassign, not both");
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("assigned_to_agent_id", unassign ? null : agent);
      try (Api api = api()) {
        JsonNode task = api.put("/tasks/" + id, body);
        return answer(task, () -> unassign ? "Task #" + id + " unassigned." : "Task #" + id + " assigned to " + Text.agentName(task, "assigned_to") + ".");
      }
    }
  }

  /** {@code tasks chain}. */
  @Command(name = "chain", description = "Show the delegation tree a task belongs to.")
  static final class Chain extends DelegaCommand {
    @Parameters(paramLabel = "<task-id>")
    long id;

    @Override
    int run() {
      try (Api api = api()) {
        JsonNode chain = api.get("/tasks/" + id + "/chain");
        if (json) {
          printer().json(chain);
        } else {
          TaskText.chain(printer(), chain);
        }
        return 0;
      }
    }
  }

  /** {@code tasks set-context}. */
  @Command(name = "set-context", description = "Merge keys into a task's persistent context (a null value deletes a key).",
      footer = {"", "Example: delega tasks set-context 7 --kv step=3 --kv 'done=[\"build\"]' --expected-version 2"})
  static final class SetContext extends DelegaCommand {
    @Parameters(paramLabel = "<task-id>")
    long id;

    @Option(names = "--kv", paramLabel = "<key=value>", description = "A key to set (repeatable); the value is JSON when it parses, else text.")
    List<String> pairs;

    @Option(names = "--context", paramLabel = "<json>", description = "A JSON object of keys to merge.")
    String context;

    @Option(names = "--delete", paramLabel = "<key>", description = "A key to remove (repeatable).")
    List<String> deletes;

    @Option(names = "--expected-version", paramLabel = "<n>", description = "Fail with version_conflict unless the context is at this version.")
    Long expectedVersion;

    @Option(names = "--source", description = "human_stated, agent_inferred, agent_observed or imported.")
    String source;

    @Option(names = "--lease-token", paramLabel = "<n>", description = "Your lease token, when you hold a claim.")
    Long leaseToken;

    @Override
    int run() {
      ObjectNode changes = Json.mapper().createObjectNode();
      if (context != null) {
        changes.setAll((ObjectNode) jsonObject(context, "--context"));
      }
      if (pairs != null) {
        for (String kv : pairs) {
          int eq = kv.indexOf('=');
          if (eq <= 0) {
            throw new CliException("--kv must look like key=value, not '" + kv + "'");
          }
          changes.set(kv.substring(0, eq), parseValue(kv.substring(eq + 1)));
        }
      }
      if (deletes != null) {
        deletes.forEach(k -> changes.putNull(k));
      }
      if (changes.isEmpty()) {
        throw new CliException("Nothing to set: give --kv key=value, --context '{…}' or --delete key");
      }
      String path = new Api.Query("/tasks/" + id + "/context").add("expected_version", expectedVersion).add("source", source).toString();
      RequestOptions options = leaseToken == null ? RequestOptions.none() : RequestOptions.lease(leaseToken);
      try (Api api = api()) {
        JsonNode result = api.patch(path, changes, options);
        if (json) {
          printer().json(result);
        } else {
          JsonNode merged = result.has("context") ? result.path("context") : result;
          printer().line("Context of task #" + id + " updated" + (result.has("version") ? " (now version " + result.path("version").asString() + ")" : "") + ":");
          Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(merged).lines().forEach(l -> printer().line("  " + l));
        }
        return 0;
      }
    }

    private static JsonNode parseValue(String raw) {
      try {
        return Json.mapper().readTree(raw);
      } catch (JacksonException notJson) {
        return Json.mapper().getNodeFactory().stringNode(raw);
      }
    }
  }

  /** {@code tasks dedup}. */
  @Command(name = "dedup", description = "Find open tasks similar to a text before creating it.")
  static final class Dedup extends DelegaCommand {
    @Option(names = {"-c", "--content"}, required = true, description = "The text of the task you are about to create.")
    String content;

    @Option(names = "--threshold", paramLabel = "<0-1>", description = "Similarity needed to count as a duplicate.")
    Double threshold;

    @Option(names = "--project", paramLabel = "<project-id>", description = "Only this project's tasks.")
    Long project;

    @Override
    int run() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("content", content);
      put(body, "threshold", threshold);
      put(body, "project_id", project);
      try (Api api = api()) {
        JsonNode result = api.post("/tasks/dedup", body, RequestOptions.none());
        if (json) {
          printer().json(result);
          return 0;
        }
        JsonNode matches = result.path("matches");
        if (!result.path("has_duplicates").asBoolean(false) || matches.isEmpty()) {
          printer().line("No duplicates found.");
          return 0;
        }
        printer().line("Found " + matches.size() + " possible duplicate(s):");
        List<List<String>> rows = new ArrayList<>();
        matches.forEach(m -> rows.add(List.of("#" + m.path("task_id").asString(), String.format("%.2f", m.path("score").asDouble()),
            Printer.clip(m.path("content").asString(""), 70))));
        printer().table(List.of("ID", "SCORE", "CONTENT"), rows);
        return 0;
      }
    }
  }

  /** {@code tasks claim}. */
  @Command(name = "claim", description = "Claim a task under a lease: the given one, or the next ready one from the queue.")
  static final class Claim extends DelegaCommand {
    @Parameters(arity = "0..1", paramLabel = "<task-id>", description = "The task; without it, the queue's next (highest priority, then oldest).")
    Long id;

    @Option(names = "--lease-seconds", paramLabel = "<30-3600>", description = "Lease length (default 300).")
    Integer leaseSeconds;

    @Option(names = "--project", paramLabel = "<project-id>", description = "Queue only: from this project.")
    Long project;

    @Option(names = "--label", description = "Queue only: with this label (repeatable).")
    List<String> labels;

    @Override
    int run() {
      Map<String, Object> body = new LinkedHashMap<>();
      put(body, "lease_seconds", leaseSeconds);
      if (id == null) {
        put(body, "project_id", project);
        put(body, "labels", labels);
      } else if (project != null || labels != null) {
        throw new CliException("--project and --label choose from the queue; leave them out when claiming task #" + id);
      }
      try (Api api = api()) {
        JsonNode result = api.post(id == null ? "/tasks/claim" : "/tasks/" + id + "/claim", body, RequestOptions.none());
        if (json) {
          printer().json(result);
          return 0;
        }
        JsonNode task = result.has("task") ? result.path("task") : result;
        if (task.isNull() || task.isMissingNode()) {
          printer().line("No claimable tasks in the queue.");
          return 0;
        }
        printer().line("Claimed #" + task.path("id").asString() + " " + task.path("content").asString());
        printer().field("Lease token", Text.of(task, "lease_token"), 12);
        printer().field("Expires", Text.time(Text.of(task, "lease_expires_at")), 12);
        printer().line("Send the lease token with heartbeat, complete and release (--lease-token).");
        return 0;
      }
    }
  }

  /** {@code tasks heartbeat}. */
  @Command(name = "heartbeat", description = "Extend your lease on a claimed task, optionally reporting its state.")
  static final class Heartbeat extends DelegaCommand {
    @Parameters(paramLabel = "<task-id>")
    long id;

    @Option(names = "--lease-token", paramLabel = "<n>", description = "Your lease token.")
    Long leaseToken;

    @Option(names = "--lease-seconds", paramLabel = "<30-3600>", description = "New lease length.")
    Integer leaseSeconds;

    @Option(names = "--state", description = "working, waiting_input or errored.")
    String state;

    @Option(names = "--detail", description = "A short note on the state.")
    String detail;

    @Override
    int run() {
      Map<String, Object> body = new LinkedHashMap<>();
      put(body, "lease_seconds", leaseSeconds);
      put(body, "state", state);
      put(body, "detail", detail);
      RequestOptions options = leaseToken == null ? RequestOptions.none() : RequestOptions.lease(leaseToken);
      try (Api api = api()) {
        JsonNode task = api.post("/tasks/" + id + "/heartbeat", body, options);
        return answer(task, () -> "Lease on #" + id + " extended until " + Text.time(Text.of(task, "lease_expires_at"))
              + (Text.of(task, "session_state") == null ? "." : ". State: " + Text.of(task, "session_state") + "."));
      }
    }
  }

  /** {@code tasks release}. */
  @Command(name = "release", description = "Give a claimed task back to the queue, with an optional hand-off note.")
  static final class Release extends DelegaCommand {
    @Parameters(paramLabel = "<task-id>")
    long id;

    @Option(names = "--handoff", paramLabel = "<note>", description = "Where you left off, for the next holder.")
    String handoff;

    @Option(names = "--lease-token", paramLabel = "<n>", description = "Your lease token.")
    Long leaseToken;

    @Override
    int run() {
      Map<String, Object> body = new LinkedHashMap<>();
      put(body, "handoff", handoff);
      RequestOptions options = leaseToken == null ? RequestOptions.none() : RequestOptions.lease(leaseToken);
      try (Api api = api()) {
        JsonNode task = api.post("/tasks/" + id + "/release", body, options);
        return answer(task, () -> "Task #" + id + " released back to the queue" + (handoff == null ? "." : " with a hand-off note."));
      }
    }
  }

  /** {@code tasks ready}. */
  @Command(name = "ready", description = "List open tasks with no open blocker.")
  static final class Ready extends DelegaCommand {
    @Option(names = "--project", paramLabel = "<project-id>", description = "Only this project.")
    Long project;

    @Option(names = "--label", description = "With this label (repeatable).")
    List<String> labels;

    @Option(names = "--limit", description = "At most this many.")
    Integer limit;

    @Override
    int run() {
      String path = new Api.Query("/tasks/ready").add("project_id", project).addAll("labels", labels).add("limit", limit).toString();
      try (Api api = api()) {
        JsonNode tasks = api.get(path);
        if (json) {
          printer().json(tasks);
        } else {
          TaskText.table(printer(), tasks, "No ready tasks.");
        }
        return 0;
      }
    }
  }

  /** {@code tasks events}. */
  @Command(name = "events", description = "Show a task's audit trail, oldest first.")
  static final class Events extends DelegaCommand {
    @Parameters(paramLabel = "<task-id>")
    long id;

    @Override
    int run() {
      try (Api api = api()) {
        JsonNode events = api.get("/tasks/" + id + "/events");
        if (json) {
          printer().json(events);
          return 0;
        }
        if (!events.isArray() || events.isEmpty()) {
          printer().line("No events.");
          return 0;
        }
        List<List<String>> rows = new ArrayList<>();
        events.forEach(e -> {
          String actor = e.path("actor").isObject() ? Text.of(e.path("actor"), "name") : null;
          if (actor == null) {
            actor = Text.of(e, "actor_agent_id") == null ? "—" : "#" + Text.of(e, "actor_agent_id");
          }
          JsonNode changes = e.path("changes");
          String changed = changes.isObject() ? String.join(", ", changes.propertyNames()) : "";
          rows.add(List.of(e.path("id").asString(), Text.time(Text.of(e, "created_at")), e.path("type").asString(), actor, Printer.clip(changed, 60)));
        });
        printer().table(List.of("ID", "TIME", "TYPE", "ACTOR", "CHANGED"), rows);
        return 0;
      }
    }
  }

  static void put(Map<String, Object> body, String name, Object value) {
    if (value != null) {
      body.put(name, value);
    }
  }

  static JsonNode jsonObject(String raw, String flag) {
    try {
      JsonNode node = Json.mapper().readTree(raw);
      if (node == null || !node.isObject()) {
        throw new CliException(flag + " must be a JSON object, like '{\"key\": \"value\"}'");
      }
      return node;
    } catch (JacksonException e) {
      throw new CliException(flag + " is not valid JSON: " + e.getOriginalMessage());
    }
  }
}
