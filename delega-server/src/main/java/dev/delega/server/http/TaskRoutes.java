package dev.delega.server.http;

import dev.delega.api.Page;
import dev.delega.api.Task;
import dev.delega.server.agent.Caller;
import dev.delega.server.internal.DelegaException;
import dev.delega.server.internal.Fields;
import dev.delega.server.task.TaskContext;
import dev.delega.server.task.TaskQuery;
import dev.delega.server.task.Tasks;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Routes of tasks, delegation, subtasks, comments and context. */
public final class TaskRoutes {
  private final Tasks tasks;
  private final TaskContext context;
  private final DuplicateCheck duplicates;

  TaskRoutes(Tasks tasks, TaskContext context, DuplicateCheck duplicates) {
    this.tasks = tasks;
    this.context = context;
    this.duplicates = duplicates;
  }

  void register(Api api) {
    String t = "tasks";
    api.get("/tasks", "List the tasks the caller may see, filtered", t, this::list);
    api.post("/tasks", "Create a task (optionally checking for duplicates first)", t, this::create);
    api.get("/tasks/{id}", "Get a task with its subtasks", t,
        ctx -> {
          Tasks.TaskJson task = tasks.getJson(Http.caller(ctx), Http.id(ctx, "id"));
          ctx.header("ETag", "\"" + task.version() + "\"");
          Http.jsonBytes(ctx, 200, task.json());
        });
    api.put("/tasks/{id}", "Update a task (partial)", t, this::update);
    api.patch("/tasks/{id}", "Update a task (partial; same as PUT)", t, this::update);
    api.delete("/tasks/{id}", "Delete a task (?cascade=true deletes its delegated subtree)", t, this::delete);
    api.post("/tasks/{id}/complete", "Complete a task, optionally with evidence", t,
        ctx -> task(ctx, tasks.complete(Http.caller(ctx), Http.id(ctx, "id"), Http.body(ctx), leaseToken(ctx))));
    api.post("/tasks/{id}/uncomplete", "Reopen a completed task", t,
        ctx -> task(ctx, tasks.uncomplete(Http.caller(ctx), Http.id(ctx, "id"))));
    api.post("/tasks/{id}/delegate", "Create a delegated child task", "delegation",
        ctx -> created(ctx, "/tasks/", tasks.delegate(Http.caller(ctx), Http.id(ctx, "id"), Http.body(ctx))));
    api.get("/tasks/{id}/chain", "The delegation tree of a task", "delegation",
        ctx -> Http.ok(ctx, tasks.chain(Http.caller(ctx), Http.id(ctx, "id"))));
    api.get("/tasks/{id}/children", "Direct delegated children of a task", "delegation",
        ctx -> Http.ok(ctx, tasks.children(Http.caller(ctx), Http.id(ctx, "id"))));
    String s = "subtasks";
    api.get("/tasks/{id}/subtasks", "List subtasks", s, ctx -> Http.ok(ctx, tasks.subtasks(Http.caller(ctx), Http.id(ctx, "id"))));
    api.post("/tasks/{id}/subtasks", "Add a subtask", s,
        ctx -> {
          dev.delega.api.Subtask st = tasks.addSubtask(Http.caller(ctx), Http.id(ctx, "id"), Http.body(ctx));
          ctx.header("Location", ctx.path() + "/" + st.id());
          Http.json(ctx, 201, st);
        });
    api.put("/tasks/{id}/subtasks/{subtaskId}", "Update a subtask", s,
        ctx -> Http.ok(ctx, tasks.changeSubtask(Http.caller(ctx), Http.id(ctx, "id"), Http.id(ctx, "subtaskId"), Http.body(ctx), "update")));
    api.patch("/tasks/{id}/subtasks/{subtaskId}", "Update a subtask (same as PUT)", s,
        ctx -> Http.ok(ctx, tasks.changeSubtask(Http.caller(ctx), Http.id(ctx, "id"), Http.id(ctx, "subtaskId"), Http.body(ctx), "update")));
    api.delete("/tasks/{id}/subtasks/{subtaskId}", "Delete a subtask", s,
        ctx -> {
          tasks.changeSubtask(Http.caller(ctx), Http.id(ctx, "id"), Http.id(ctx, "subtaskId"), Fields.parse(null), "delete");
          Http.ok(ctx, Map.of("ok", true, "deleted", Http.id(ctx, "subtaskId")));
        });
    api.post("/tasks/{id}/subtasks/{subtaskId}/toggle", "Flip a subtask's completion", s,
        ctx -> Http.ok(ctx, tasks.changeSubtask(Http.caller(ctx), Http.id(ctx, "id"), Http.id(ctx, "subtaskId"), Fields.parse(null), "toggle")));
    String c = "comments";
    api.get("/tasks/{id}/comments", "List comments", c, ctx -> Http.ok(ctx, tasks.comments(Http.caller(ctx), Http.id(ctx, "id"))));
    api.post("/tasks/{id}/comments", "Add a comment as the calling agent", c,
        ctx -> {
          dev.delega.api.Comment cm = tasks.addComment(Http.caller(ctx), Http.id(ctx, "id"), Http.body(ctx));
          ctx.header("Location", ctx.path() + "/" + cm.id());
          Http.json(ctx, 201, cm);
        });
    api.delete("/tasks/{id}/comments/{commentId}", "Delete a comment", c,
        ctx -> {
          tasks.deleteComment(Http.caller(ctx), Http.id(ctx, "id"), Http.id(ctx, "commentId"));
          Http.ok(ctx, Map.of("ok", true, "deleted", Http.id(ctx, "commentId")));
        });
    String m = "context";
    api.get("/tasks/{id}/context", "Read a task's context {context, version[, provenance]}", m,
        ctx -> Http.ok(ctx, context.get(Http.caller(ctx), Http.id(ctx, "id"), "provenance".equals(ctx.queryParam("include")))));
    api.patch("/tasks/{id}/context", "Merge keys into a task's context (null deletes a key)", m,
        ctx ->
            Http.ok(
                ctx,
                context.patch(
                    Http.caller(ctx),
                    Http.id(ctx, "id"),
                    Http.body(ctx),
                    Http.queryInt(ctx, "expected_version", 0, Integer.MAX_VALUE),
                    ctx.queryParam("source"),
                    leaseToken(ctx))));
    api.get("/tasks/{id}/events", "The audit trail of a task: every change, oldest first", "events",
        ctx -> Http.ok(ctx, context.events(Http.caller(ctx), Http.id(ctx, "id"),
            Http.queryId(ctx, "after"), limit(ctx))));
  }

  /** The lease token of a holder write: {@code X-Lease-Token} header, else {@code ?lease_token=}. */
  public static Long leaseToken(Context ctx) {
    String h = ctx.header("X-Lease-Token");
    if (h == null || h.isBlank()) {
      return Http.queryId(ctx, "lease_token");
    }
    return Http.parseId("X-Lease-Token", h.trim());
  }

  private static int limit(Context ctx) {
    Integer l = Http.queryInt(ctx, "limit", 1, TaskQuery.MAX_LIMIT);
    return l == null ? TaskQuery.DEFAULT_LIMIT : l;
  }

  /** Answers 201 with the created task, its {@code Location} ({@code prefix + id}) and {@code ETag}. */
  static void created(Context ctx, String prefix, Task task) {
    String path = ctx.path();
    String base = path.startsWith("/v1/") ? "/v1" : "/api";
    ctx.header("Location", base + prefix + task.id());
    ctx.header("ETag", "\"" + task.version() + "\"");
    Http.json(ctx, 201, task);
  }

  static void task(Context ctx, Task task) {
    ctx.header("ETag", "\"" + task.version() + "\"");
    Http.ok(ctx, task);
  }

  private void list(Context ctx) {
    String due = ctx.queryParam("due");
    if (due != null && !due.isBlank()) {
      due = due.trim().toLowerCase(Locale.ROOT);
      if (!List.of("today", "upcoming", "overdue").contains(due)) {
        throw new DelegaException.ValidationFailed("due must be one of today, upcoming, overdue (got '" + due + "')");
      }
    } else {
      due = null;
    }
    String status = ctx.queryParam("status");
    if (status != null && !status.isBlank() && !List.of("open", "in_progress", "delegated", "waiting_input", "blocked", "completed").contains(status.trim())) {
      throw new DelegaException.ValidationFailed(
          "status must be one of open, in_progress, delegated, waiting_input, blocked, completed");
    }
    List<String> labels = new java.util.ArrayList<>(Http.queryList(ctx, "labels"));
    String label = ctx.queryParam("label");
    if (label != null && !label.isBlank() && !labels.contains(label.trim())) {
      labels.add(label.trim());
    }
    Integer priority = Http.queryInt(ctx, "priority", 1, 4);
    Boolean include = Http.queryBool(ctx, "include_completed");
    Integer offset = Http.queryInt(ctx, "offset", 0, Integer.MAX_VALUE);
    String search = ctx.queryParam("search");
    if (search == null) {
      search = ctx.queryParam("q");
    }
    if (search != null && search.length() > 500) {
      throw new DelegaException.ValidationFailed("search must be at most 500 characters");
    }
    TaskQuery q =
        new TaskQuery(
            Http.queryId(ctx, "project_id"),
            labels,
            status == null || status.isBlank() ? null : status.trim(),
            Http.queryBool(ctx, "completed"),
            include != null && include,
            Http.queryBool(ctx, "claimed"),
            Http.queryId(ctx, "assigned_to"),
            Http.queryId(ctx, "created_by"),
            due,
            Http.queryDate(ctx, "due_after"),
            Http.queryDate(ctx, "due_before"),
            priority,
            search,
            Http.queryId(ctx, "parent_task_id"),
            Http.queryId(ctx, "root_task_id"),
            limit(ctx),
            offset == null ? 0 : offset);
    Page<Task> page = tasks.list(Http.caller(ctx), q);
    if (wantsPagination(ctx)) {
      Http.ok(ctx, page);
    } else {
      Http.ok(ctx, page.items());
    }
  }

  static boolean wantsPagination(Context ctx) {
    String include = ctx.queryParam("include");
    return include != null && List.of(include.split(",")).contains("pagination");
  }

  private void create(Context ctx) {
    Caller caller = Http.caller(ctx);
    Fields body = Http.body(ctx);
    String header = ctx.header("X-Dedup-Check");
    boolean check = header != null && List.of("true", "1", "yes").contains(header.trim().toLowerCase(Locale.ROOT));
    if (Boolean.TRUE.equals(body.bool("dedup_check"))) {
      check = true;
    }
    boolean force = Boolean.TRUE.equals(body.bool("force")); // read (and type-checked) even when unused
    if (check && !force) {
      duplicates.refuseDuplicates(caller, body);
    }
    Task task = tasks.create(caller, body);
    ctx.header("Location", ctx.path() + "/" + task.id());
    ctx.header("ETag", "\"" + task.version() + "\"");
    Http.json(ctx, 201, task);
  }

  private void update(Context ctx) {
    task(ctx, tasks.update(Http.caller(ctx), Http.id(ctx, "id"), Http.body(ctx), ifMatch(ctx)));
  }

  static Long ifMatch(Context ctx) {
    String h = ctx.header("If-Match");
    if (h == null || h.isBlank() || h.trim().equals("*")) {
      return null;
    }
    String v = h.trim();
    if (v.startsWith("W/")) {
      v = v.substring(2);
    }
    v = v.replace("\"", "");
    if (!v.matches("\\d{1,18}")) {
      throw new DelegaException.BadRequest("If-Match must be a task version/ETag such as \"3\" (got '" + h + "')");
    }
    return Long.parseLong(v);
  }

  private void delete(Context ctx) {
    long id = Http.id(ctx, "id");
    Boolean cascade = Http.queryBool(ctx, "cascade");
    tasks.delete(Http.caller(ctx), id, cascade != null && cascade, ifMatch(ctx));
    Http.ok(ctx, Map.of("ok", true, "deleted", id));
  }
}
