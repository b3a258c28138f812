package dev.delega.mcp;

import static dev.delega.mcp.Schema.array;
import static dev.delega.mcp.Schema.bool;
import static dev.delega.mcp.Schema.id;
import static dev.delega.mcp.Schema.integer;
import static dev.delega.mcp.Schema.nullable;
import static dev.delega.mcp.Schema.nullableId;
import static dev.delega.mcp.Schema.number;
import static dev.delega.mcp.Schema.object;
import static dev.delega.mcp.Schema.oneOf;
import static dev.delega.mcp.Schema.str;
import static dev.delega.mcp.Schema.strings;
import static dev.delega.mcp.Schema.uri;

import dev.delega.api.ClaimRequest;
import dev.delega.api.ClaimResult;
import dev.delega.api.Comment;
import dev.delega.api.Evidence;
import dev.delega.api.NewLink;
import dev.delega.api.NewTask;
import dev.delega.api.Task;
import dev.delega.api.TaskLink;
import dev.delega.api.TaskUpdate;
import dev.delega.client.ConflictException;
import dev.delega.client.DelegaClient;
import dev.delega.client.PreconditionFailedException;
import dev.delega.client.RequestOptions;
import dev.delega.client.TaskQuery;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The task tools: listing, CRUD, delegation, completion with evidence, comments, links, dedup,
 * claims and leases, and ours for dependencies, the ready queue and the audit trail.
 */
final class TaskTools {
  static final List<String> EVIDENCE_KINDS =
      List.of("commit", "pr", "ci_check", "deploy_sha", "artifact_url", "command_output");
  static final List<String> SESSION_STATES = List.of("working", "waiting_input", "errored");
  static final List<String> LINK_KINDS = List.of("branch", "commit", "pr", "url");
  static final String PRIORITY = "Priority: 1=normal, 2=medium, 3=high, 4=urgent";

  private TaskTools() {}

  static List<ToolDef> tools() {
    return List.of(
        listTasks(),
        getTask(),
        createTask(),
        updateTask(),
        assignTask(),
        delegateTask(),
        getTaskChain(),
        completeTask(),
        deleteTask(),
        addComment(),
        linkTask(),
        listTaskLinks(),
        findDuplicates(),
        claimTask(),
        heartbeatTask(),
        setTaskState(),
        releaseTask(),
        addDependency(),
        removeDependency(),
        listReadyTasks(),
        getTaskEvents());
  }

  static Map<String, Object> taskId(String description) {
    return id(description);
  }

  private static ToolDef listTasks() {
    return new ToolDef(
        "list_tasks",
        "List tasks from Delega. Visibility depends on your role: workers see tasks they created,"
            + " were assigned, claimed or are in the delegation chain of; coordinators and admins"
            + " see all tasks — including other agents' work, so act only on tasks assigned to you"
            + " or unowned ones you claim, and coordinate on teammates' tasks via add_comment."
            + " Optionally filtered by project, label, due date, completion or claim status. To"
            + " resume work at the start of a session, call with completed:false, then use"
            + " get_task_context on your tasks to recover prior decisions and state.",
        object()
            .opt("project_id", id("Filter by project ID"))
            .opt("label", str("Filter by label name"))
            .opt("due", oneOf("Filter by due date category", "today", "upcoming", "overdue"))
            .opt("completed", bool("Filter by completion status"))
            .opt("claimed", bool("Filter by claim status (true = currently claimed tasks)"))
            .build(),
        c -> {
          Args a = c.args();
          TaskQuery q = TaskQuery.create();
          Long project = a.optId("project_id");
          if (project != null) {
            q.projectId(project);
          }
          if (a.present("label")) {
            q.label(a.optText("label"));
          }
          if (a.present("due")) {
            q.due(a.optText("due"));
          }
          if (a.present("completed")) {
            q.completed(a.optBool("completed"));
          }
          if (a.present("claimed")) {
            q.claimed(a.optBool("claimed"));
          }
          return Render.tasks(c.client().tasks().list(q), "No tasks found.");
        });
  }

  private static ToolDef getTask() {
    return new ToolDef(
        "get_task",
        "Get full details of a specific task including context, completion evidence, links and"
            + " subtasks",
        object().req("task_id", taskId("The task ID (use the ID from list_tasks)")).build(),
        c -> {
          long id = c.args().id("task_id");
          Task task = c.client().tasks().get(id);
          List<TaskLink> links = c.client().tasks().links(id);
          return Render.taskDetail(task, links);
        });
  }

  private static ToolDef createTask() {
    return new ToolDef(
        "create_task",
        "Create a new task in Delega. Call find_duplicate_tasks first (or pass dedup_check: true)"
            + " so the same work is not queued twice.",
        object()
            .req("content", str("Task title / content"))
            .opt("description", str("Detailed description"))
            .opt("project_id", id("Project ID to assign to"))
            .opt("labels", strings("Labels to apply"))
            .opt("priority", integer(PRIORITY, 1, 4))
            .opt("due_date", str("Due date in YYYY-MM-DD format"))
            .opt(
                "evidence_policy",
                oneOf(
                    "Set to 'required' so completion needs structured evidence (a commit, PR, CI"
                        + " check, deploy SHA or artifact URL)",
                    "required"))
            .opt("assigned_to_agent_id", id("Agent ID to assign the task to"))
            .opt("blocked_by", array("IDs of tasks that must complete first", id(null), null, 100))
            .opt(
                "dedup_check",
                bool(
                    "Refuse to create when similar open tasks exist (the error lists them); pass"
                        + " force: true to create anyway"))
            .opt("force", bool("With dedup_check: create even when duplicates exist"))
            .build(),
        c -> {
          Args a = c.args();
          NewTask.Builder b = NewTask.builder(a.text("content"));
          b.description(a.optText("description"));
          Long project = a.optId("project_id");
          if (project != null) {
            b.projectId(project);
          }
          b.labels(a.optStrings("labels"));
          Integer priority = a.optInt("priority");
          if (priority != null) {
            b.priority(priority);
          }
          b.dueDate(a.optText("due_date"));
          b.evidencePolicy(a.optText("evidence_policy"));
          Long assignee = a.optId("assigned_to_agent_id");
          if (assignee != null) {
            b.assignedToAgentId(assignee);
          }
          List<Long> blockers = ids(a, "blocked_by");
          if (blockers != null) {
            b.blockedBy(blockers);
          }
          if (Boolean.TRUE.equals(a.optBool("force"))) {
            b.force(true);
          }
          RequestOptions options =
              Boolean.TRUE.equals(a.optBool("dedup_check"))
                  ? RequestOptions.none().withDedupCheck()
                  : RequestOptions.none();
          try {
            Task task = c.client().tasks().create(b.build(), options);
            return "Task created:\n\n" + Render.taskDetail(task);
          } catch (ConflictException e) {
            if ("duplicate_task".equals(e.code()) && !e.matches().isEmpty()) {
              throw new ToolFailure(
                  "Error: "
                      + e.getMessage()
                      + "\n\n"
                      + Render.dedup(new dev.delega.api.DedupResult(true, e.matches()))
                      + "\n\nWork on one of these instead, or call create_task again with force:"
                      + " true if this really is different work.");
            }
            throw e;
          }
        });
  }

  private static ToolDef updateTask() {
    return new ToolDef(
        "update_task",
        "Update an existing task's fields",
        object()
            .req("task_id", taskId("The task ID to update"))
            .opt("content", str("New task title / content"))
            .opt("description", str("New description"))
            .opt("labels", strings("New labels"))
            .opt("priority", integer("New priority (1-4)", null, null))
            .opt("due_date", str("New due date (YYYY-MM-DD)"))
            .opt("project_id", id("Move to project ID"))
            .opt("assigned_to_agent_id", nullableId("Assign to agent ID, or null to unassign"))
            .opt(
                "evidence_policy",
                nullable(oneOf("'required' to demand evidence on completion, or null to clear", "required")))
            .opt(
                "blocked_by",
                array(
                    "Replace the IDs of tasks this one waits for (empty array clears)",
                    id(null),
                    null,
                    100))
            .build(),
        c -> {
          Args a = c.args();
          TaskUpdate u = TaskUpdate.create();
          if (a.present("content")) {
            u.content(a.optText("content"));
          }
          if (a.present("description")) {
            u.description(a.optText("description"));
          }
          if (a.present("labels")) {
            u.labels(a.optStrings("labels"));
          }
          if (a.present("priority")) {
            u.priority(a.optInt("priority"));
          }
          if (a.present("due_date")) {
            u.dueDate(a.optText("due_date"));
          }
          if (a.present("project_id")) {
            u.projectId(a.optId("project_id"));
          }
          if (a.has("assigned_to_agent_id")) {
            u.assignedToAgentId(a.optId("assigned_to_agent_id"));
          }
          if (a.has("evidence_policy")) {
            u.evidencePolicy(a.optText("evidence_policy"));
          }
          if (a.present("blocked_by")) {
            u.blockedBy(ids(a, "blocked_by"));
          }
          if (u.isEmpty()) {
            throw new ToolInputException("give at least one field to change besides task_id");
          }
          Task task = c.client().tasks().update(a.id("task_id"), u);
          return "Task updated:\n\n" + Render.taskDetail(task);
        });
  }

  private static ToolDef assignTask() {
    return new ToolDef(
        "assign_task",
        "Assign a task to an agent (or unassign by passing null). For hand-offs that should be"
            + " tracked as a chain, prefer delegate_task.",
        object()
            .req("task_id", taskId("The task ID to assign"))
            .req("agent_id", nullableId("Agent ID to assign the task to, or null to unassign"))
            .build(),
        c -> {
          Args a = c.args();
          Long agent = a.optId("agent_id");
          Task task =
              c.client().tasks().update(a.id("task_id"), TaskUpdate.create().assignedToAgentId(agent));
          return "Task " + (agent == null ? "unassigned" : "assigned") + ":\n\n" + Render.taskDetail(task);
        });
  }

  private static ToolDef delegateTask() {
    return new ToolDef(
        "delegate_task",
        "Delegate a task: create a child task linked to a parent. The parent's status flips to"
            + " 'delegated'. Use this (not assign_task) for multi-agent handoffs so the delegation"
            + " chain is recorded.",
        object()
            .req("task_id", taskId("Parent task ID to delegate from"))
            .req("content", str("Child task title / content"))
            .opt("description", str("Detailed description"))
            .opt("project_id", id("Project ID"))
            .opt("labels", strings("Labels to apply"))
            .opt("priority", integer(PRIORITY, 1, 4))
            .opt("due_date", str("Due date in YYYY-MM-DD format"))
            .opt("assigned_to_agent_id", id("Agent ID to assign the child task to"))
            .opt(
                "evidence_policy",
                oneOf("'required' to demand evidence when the child completes", "required"))
            .build(),
        c -> {
          Args a = c.args();
          NewTask.Builder b = NewTask.builder(a.text("content"));
          b.description(a.optText("description"));
          Long project = a.optId("project_id");
          if (project != null) {
            b.projectId(project);
          }
          b.labels(a.optStrings("labels"));
          Integer priority = a.optInt("priority");
          if (priority != null) {
            b.priority(priority);
          }
          b.dueDate(a.optText("due_date"));
          Long assignee = a.optId("assigned_to_agent_id");
          if (assignee != null) {
            b.assignedToAgentId(assignee);
          }
          b.evidencePolicy(a.optText("evidence_policy"));
          Task child = c.client().tasks().delegate(a.id("task_id"), b.build());
          return "Task delegated:\n\n" + Render.taskDetail(child);
        });
  }

  private static ToolDef getTaskChain() {
    return new ToolDef(
        "get_task_chain",
        "Get the full delegation chain for a task (root + all descendants, sorted by depth). Use"
            + " this to inspect parent/child accountability.",
        object().req("task_id", taskId("Any task ID in the chain")).build(),
        c -> Render.chain(c.client().tasks().chain(c.args().id("task_id"))));
  }

  private static ToolDef completeTask() {
    Map<String, Object> evidence =
        object()
            .req("kind", oneOf("Evidence kind", EVIDENCE_KINDS))
            .req("ref", str("Commit SHA, PR number or URL, check name, deploy SHA, artifact URL or command", 500))
            .opt("summary", str("What this evidence shows", 500))
            .build();
    return new ToolDef(
        "complete_task",
        "Mark a task as completed, optionally with evidence of the work. When the task's"
            + " evidence_policy is 'required', at least one strong kind (commit, pr, ci_check,"
            + " deploy_sha, artifact_url) is needed; command_output alone is rejected.",
        object()
            .req("task_id", taskId("The task ID to complete"))
            .opt("evidence", array("Evidence of the completed work (at most 5)", evidence, null, 5))
            .build(),
        c -> {
          Args a = c.args();
          long id = a.id("task_id");
          List<Evidence> list = new ArrayList<>();
          List<Map<String, Object>> items = a.optObjects("evidence");
          if (items != null) {
            for (Map<String, Object> e : items) {
              Object summary = e.get("summary");
              list.add(
                  new Evidence(
                      String.valueOf(e.get("kind")),
                      String.valueOf(e.get("ref")),
                      summary == null ? null : summary.toString()));
            }
          }
          Task task = c.client().tasks().complete(id, list);
          String text = "Task #" + id + " completed.";
          if (Render.notBlank(task.nextOccurrence())) {
            text += "\nNext occurrence: " + task.nextOccurrence();
          }
          return text;
        });
  }

  private static ToolDef deleteTask() {
    return new ToolDef(
        "delete_task",
        "Delete a task permanently",
        object().req("task_id", taskId("The task ID to delete")).build(),
        c -> {
          long id = c.args().id("task_id");
          c.client().tasks().delete(id);
          return "Task #" + id + " deleted.";
        });
  }

  private static ToolDef addComment() {
    return new ToolDef(
        "add_comment",
        "Add a comment to a task",
        object()
            .req("task_id", taskId("The task ID to comment on"))
            .req("content", str("Comment text"))
            .opt("author", str("Comment author name"))
            .build(),
        c -> {
          Args a = c.args();
          long id = a.id("task_id");
          String content = a.text("content");
          Comment comment = c.client().tasks().addComment(id, content, a.optText("author"));
          String shown = comment.content() == null ? content : comment.content();
          String author = Render.notBlank(comment.author()) ? " — " + comment.author() : "";
          return "Comment added to task #" + id + ":\n  \"" + shown + "\"" + author;
        });
  }

  private static ToolDef linkTask() {
    return new ToolDef(
        "link_task",
        "Attach a branch, commit, pull request, or URL link to a task. Use this when work in a"
            + " repo, PR, or external artifact should travel with the task.",
        object()
            .req("task_id", taskId("The task ID to link"))
            .req("kind", oneOf("Link kind: branch, commit, pr, or url", LINK_KINDS))
            .opt("repo", str("Repository slug in owner/name form, when applicable"))
            .req("ref", str("Branch name, commit SHA, PR number, or URL reference"))
            .opt("url", uri("Optional URL for the link"))
            .build(),
        c -> {
          Args a = c.args();
          long id = a.id("task_id");
          TaskLink link =
              c.client()
                  .tasks()
                  .addLink(id, new NewLink(a.text("kind"), a.optText("repo"), a.text("ref"), a.optText("url")));
          return "Task #" + id + " linked:\n\n" + Render.json(link);
        });
  }

  private static ToolDef listTaskLinks() {
    return new ToolDef(
        "list_task_links",
        "List branch, commit, pull request, and URL links attached to a task.",
        object().req("task_id", taskId("The task ID whose links to list")).build(),
        c -> {
          long id = c.args().id("task_id");
          List<TaskLink> links = c.client().tasks().links(id);
          if (links.isEmpty()) {
            return "Task #" + id + " has no links.";
          }
          List<String> lines = new ArrayList<>();
          lines.add("Links for task #" + id + ":");
          for (TaskLink link : links) {
            lines.add("  " + Render.link(link));
          }
          return String.join("\n", lines);
        });
  }

  private static ToolDef findDuplicates() {
    return new ToolDef(
        "find_duplicate_tasks",
        "Check whether a proposed task is similar to existing open tasks. Call this before"
            + " create_task to avoid redundant work.",
        object()
            .req("content", str("Proposed task content to check"))
            .opt("threshold", number("Similarity threshold 0-1 (default 0.6)", 0.0, 1.0))
            .opt("project_id", id("Only compare with tasks of this project"))
            .build(),
        c -> {
          Args a = c.args();
          return Render.dedup(
              c.client().tasks().dedup(a.text("content"), a.optNumber("threshold"), a.optId("project_id")));
        });
  }

  // ---- claims and leases ----

  private static Map<String, Object> leaseSeconds(String description) {
    return integer(description, 30, 3600);
  }

  private static ToolDef claimTask() {
    return new ToolDef(
        "claim_task",
        "Claim a task for exclusive processing (work-queue semantics). Without task_id,"
            + " atomically picks the highest-priority ready task from the queue — open, unclaimed,"
            + " unblocked, and unassigned or assigned to you. With task_id, claims that specific"
            + " task (e.g. after a write was rejected with 'claim it first'); fails with a"
            + " conflict if it is completed, assigned to another agent, or claimed with a live"
            + " lease. The claim is a lease (default 300 seconds): extend it with heartbeat_task"
            + " while working, requeue with release_task, or finish with complete_task.",
        object()
            .opt("task_id", id("Claim this specific task instead of the next from the queue"))
            .opt("project_id", id("Only claim tasks in this project (queue claim only)"))
            .opt("labels", strings("Only claim tasks carrying all of these labels (queue claim only)"))
            .opt("lease_seconds", leaseSeconds("Lease duration in seconds (30-3600, default 300)"))
            .build(),
        c -> {
          Args a = c.args();
          Integer lease = a.optInt("lease_seconds");
          Long taskId = a.optId("task_id");
          DelegaClient client = c.client();
          ClaimResult result =
              taskId != null
                  ? client.tasks().claim(taskId, new ClaimRequest(lease, null, null))
                  : client
                      .tasks()
                      .claimNext(new ClaimRequest(lease, a.optId("project_id"), a.optStrings("labels")));
          Task t = result.task();
          if (t == null) {
            return "No claimable tasks in the queue.";
          }
          return "Task claimed (lease expires "
              + (t.leaseExpiresAt() == null ? "unknown" : Render.instant(t.leaseExpiresAt()))
              + "):\n\n"
              + Render.taskDetail(t);
        });
  }

  private static ToolDef heartbeatTask() {
    return new ToolDef(
        "heartbeat_task",
        "Extend the lease on a task you have claimed. Call this periodically (before"
            + " lease_expires_at) while working so the claim is not taken over. Optionally report a"
            + " session state at the same time (working / waiting_input / errored). Fails with a"
            + " conflict if you no longer hold the claim — then claim a task again rather than"
            + " continuing.",
        object()
            .req("task_id", taskId("The claimed task ID"))
            .opt("lease_seconds", leaseSeconds("New lease duration in seconds from now (30-3600, default 300)"))
            .opt("state", oneOf("Session state to report alongside the heartbeat", SESSION_STATES))
            .opt("detail", str("Free-text detail for the state (max 500 chars). Requires state.", 500))
            .build(),
        c -> {
          Args a = c.args();
          Task t =
              c.client()
                  .tasks()
                  .heartbeat(
                      a.id("task_id"), null, a.optInt("lease_seconds"), a.optText("state"), a.optText("detail"));
          String state = Render.notBlank(t.sessionState()) ? " State: " + t.sessionState() + "." : "";
          return "Lease extended until "
              + (t.leaseExpiresAt() == null ? "unknown" : Render.instant(t.leaseExpiresAt()))
              + "."
              + state;
        });
  }

  private static ToolDef setTaskState() {
    return new ToolDef(
        "set_task_state",
        "Report the session state of a task you have claimed — working, waiting_input, or errored"
            + " — without extending the lease. Use this to flag that you are blocked on input or hit"
            + " an error, instead of faking liveness.",
        object()
            .req("task_id", taskId("The claimed task ID"))
            .req("state", oneOf("The session state to set", SESSION_STATES))
            .opt("detail", str("Free-text detail (max 500 chars, e.g. 'needs prod API key')", 500))
            .build(),
        c -> {
          Args a = c.args();
          long id = a.id("task_id");
          Task t = c.client().tasks().setState(id, null, a.text("state"), a.optText("detail"));
          String detail =
              Render.notBlank(t.sessionStateDetail()) ? " — \"" + t.sessionStateDetail() + "\"" : "";
          return "Task #"
              + id
              + " state set to "
              + (t.sessionState() == null ? a.text("state") : t.sessionState())
              + detail
              + " (lease unchanged, expires "
              + (t.leaseExpiresAt() == null ? "unknown" : Render.instant(t.leaseExpiresAt()))
              + ").";
        });
  }

  private static ToolDef releaseTask() {
    return new ToolDef(
        "release_task",
        "Release a task you have claimed back to the queue without completing it. Leave a"
            + " `handoff` note so the next agent resumes instead of restarting.",
        object()
            .req("task_id", taskId("The claimed task ID to release"))
            .opt(
                "handoff",
                str(
                    "Where you left off / why you stopped. The next agent to claim this task sees it"
                        + " as a 'Resuming from' line.",
                    500))
            .build(),
        c -> {
          Args a = c.args();
          long id = a.id("task_id");
          String handoff = a.optText("handoff");
          c.client().tasks().release(id, null, handoff);
          return "Task #"
              + id
              + " released back to the queue"
              + (handoff == null || handoff.isEmpty() ? "" : " with a handoff note")
              + ".";
        });
  }

  // ---- ours: dependencies, ready queue, events ----

  private static ToolDef addDependency() {
    return new ToolDef(
        "add_dependency",
        "Record that a task cannot start until another completes (task_id is blocked by"
            + " blocked_by_task_id). The task becomes 'blocked' and leaves the claim queue until"
            + " its blockers complete; cycles are refused.",
        object()
            .req("task_id", taskId("The task that has to wait"))
            .req("blocked_by_task_id", id("The task that must complete first"))
            .build(),
        c -> {
          Args a = c.args();
          long id = a.id("task_id");
          long blocker = a.id("blocked_by_task_id");
          Task t = changeBlockers(c.client(), id, set -> set.add(blocker));
          return "Dependency added: task #" + id + " is blocked by #" + blocker + ".\n\n" + Render.taskDetail(t);
        });
  }

  private static ToolDef removeDependency() {
    return new ToolDef(
        "remove_dependency",
        "Remove a dependency: task_id no longer waits for blocked_by_task_id.",
        object()
            .req("task_id", taskId("The waiting task"))
            .req("blocked_by_task_id", id("The blocker to remove"))
            .build(),
        c -> {
          Args a = c.args();
          long id = a.id("task_id");
          long blocker = a.id("blocked_by_task_id");
          Task t = changeBlockers(c.client(), id, set -> {
            if (!set.remove(blocker)) {
              throw new ToolInputException("task #" + id + " is not blocked by #" + blocker);
            }
          });
          return "Dependency removed: task #" + id + " no longer waits for #" + blocker + ".\n\n" + Render.taskDetail(t);
        });
  }

  /** Read-modify-write of {@code blocked_by}, guarded by the task version (retried on a race). */
  private static Task changeBlockers(
      DelegaClient client, long id, java.util.function.Consumer<Set<Long>> change) {
    for (int attempt = 0; ; attempt++) {
      Task task = client.tasks().get(id);
      Set<Long> blockers = new LinkedHashSet<>(task.blockedBy() == null ? List.of() : task.blockedBy());
      change.accept(blockers);
      try {
        return client
            .tasks()
            .update(
                id,
                TaskUpdate.create().blockedBy(new ArrayList<>(blockers)),
                RequestOptions.none().withIfMatch(task.version()));
      } catch (PreconditionFailedException e) {
        if (attempt >= 4) {
          throw e;
        }
      }
    }
  }

  private static ToolDef listReadyTasks() {
    return new ToolDef(
        "list_ready_tasks",
        "List open tasks that are ready to work on: no unfinished blockers and not claimed. This"
            + " is what the claim_task queue hands out.",
        object()
            .opt("project_id", id("Only tasks of this project"))
            .opt("label", str("Only tasks with this label"))
            .opt("limit", integer("Max tasks (1-500, default 100)", 1, 500))
            .build(),
        c -> {
          Args a = c.args();
          TaskQuery q = TaskQuery.create();
          Long project = a.optId("project_id");
          if (project != null) {
            q.projectId(project);
          }
          if (a.present("label")) {
            q.label(a.optText("label"));
          }
          if (a.present("limit")) {
            q.limit(a.optInt("limit"));
          }
          return Render.tasks(c.client().tasks().ready(q), "No ready tasks.");
        });
  }

  private static ToolDef getTaskEvents() {
    return new ToolDef(
        "get_task_events",
        "Read a task's audit trail: every change (created, claimed, state changes, context"
            + " writes, delegation, completion…) with who made it and when, oldest first.",
        object()
            .req("task_id", taskId("The task whose events to read"))
            .opt("limit", integer("Show at most this many of the newest events (1-500, default 100)", 1, 500))
            .build(),
        c -> {
          Args a = c.args();
          long id = a.id("task_id");
          Integer limit = a.optInt("limit");
          return Render.events(c.client().tasks().events(id), id, limit == null ? 100 : limit);
        });
  }

  private static List<Long> ids(Args a, String name) {
    Object raw = a.raw(name);
    if (!(raw instanceof List<?> list)) {
      return null;
    }
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      out.add(Args.toId(name + "[" + i + "]", list.get(i)));
    }
    return out;
  }
}
