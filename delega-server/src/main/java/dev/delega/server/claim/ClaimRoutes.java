package dev.delega.server.claim;

import dev.delega.api.ClaimResult;
import dev.delega.api.Page;
import dev.delega.api.Task;
import dev.delega.server.http.Api;
import dev.delega.server.http.Http;
import dev.delega.server.http.TaskRoutes;
import dev.delega.server.task.TaskQuery;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;

/** The HTTP routes of the work queue, dependencies and fleet attention. */
final class ClaimRoutes {
  private final Claims claims;
  private final Dependencies dependencies;
  private final FleetBoard fleet;

  ClaimRoutes(Claims claims, Dependencies dependencies, FleetBoard fleet) {
    this.claims = claims;
    this.dependencies = dependencies;
    this.fleet = fleet;
  }

  void register(Api api) {
    String c = "claims";
    api.post("/tasks/claim", "Claim the next ready task of the work queue ({task}, or {task: null} when none)", c,
        ctx -> Http.ok(ctx, new ClaimResult(claims.claimNext(Http.caller(ctx), Http.body(ctx)))));
    api.get("/tasks/ready", "The caller's work queue: ready, unclaimed tasks in the order claims hand them out", c,
        this::ready);
    api.post("/tasks/{id}/claim", "Claim a task by id (or extend the caller's own lease)", c,
        ctx -> Http.ok(ctx, new ClaimResult(claims.claim(Http.caller(ctx), Http.id(ctx, "id"), Http.body(ctx)))));
    api.post("/tasks/{id}/heartbeat", "Renew the lease, optionally reporting a state", c,
        ctx -> task(ctx, claims.heartbeat(Http.caller(ctx), Http.id(ctx, "id"), Http.body(ctx), TaskRoutes.leaseToken(ctx))));
    api.post("/tasks/{id}/state", "Report the holder's state without renewing the lease", c,
        ctx -> task(ctx, claims.setState(Http.caller(ctx), Http.id(ctx, "id"), Http.body(ctx), TaskRoutes.leaseToken(ctx))));
    api.post("/tasks/{id}/release", "Give the task back to the queue, with an optional hand-off note", c,
        ctx -> task(ctx, claims.release(Http.caller(ctx), Http.id(ctx, "id"), Http.body(ctx), TaskRoutes.leaseToken(ctx))));
    String d = "dependencies";
    api.post("/tasks/{id}/dependencies", "Add blockers: {blocked_by: id | [ids]}", d,
        ctx -> task(ctx, dependencies.add(Http.caller(ctx), Http.id(ctx, "id"), Http.body(ctx))));
    api.delete("/tasks/{id}/dependencies/{blockerId}", "Remove one blocker", d,
        ctx -> task(ctx, dependencies.remove(Http.caller(ctx), Http.id(ctx, "id"), Http.id(ctx, "blockerId"))));
    api.get("/fleet/attention", "Tasks that need a look: abandoned, silent, errored, waiting, overdue, looping", "fleet",
        ctx -> {
          Integer limit = Http.queryInt(ctx, "limit", 1, 100);
          Http.ok(ctx, fleet.board(Http.caller(ctx), limit == null ? 20 : limit));
        });
  }

  private void ready(Context ctx) {
    List<String> labels = new ArrayList<>(Http.queryList(ctx, "labels"));
    String label = ctx.queryParam("label");
    if (label != null && !label.isBlank() && !labels.contains(label.trim())) {
      labels.add(label.trim());
    }
    Integer limit = Http.queryInt(ctx, "limit", 1, TaskQuery.MAX_LIMIT);
    Integer offset = Http.queryInt(ctx, "offset", 0, Integer.MAX_VALUE);
    String include = ctx.queryParam("include");
    boolean paginated = include != null && List.of(include.split(",")).contains("pagination");
    Page<Task> page =
        dependencies.ready(
            Http.caller(ctx),
            new ClaimQueue.Filter(Http.queryId(ctx, "project_id"), labels),
            limit == null ? TaskQuery.DEFAULT_LIMIT : limit,
            offset == null ? 0 : offset,
            paginated);
    if (paginated) {
      Http.ok(ctx, page);
    } else {
      Http.ok(ctx, page.items());
    }
  }

  private static void task(Context ctx, Task task) {
    ctx.header("ETag", "\"" + task.version() + "\"");
    Http.ok(ctx, task);
  }
}
