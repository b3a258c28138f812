package dev.delega.server.context;

import dev.delega.server.http.Api;
import dev.delega.server.http.Http;
import dev.delega.server.internal.DelegaException;
import dev.delega.server.task.TaskContext;
import io.javalin.http.Context;

/** Routes of task memory: context history, recall and links. */
final class MemoryRoutes {
  private final TaskContext context;
  private final Recall recall;
  private final Links links;

  MemoryRoutes(TaskContext context, Recall recall, Links links) {
    this.context = context;
    this.recall = recall;
    this.links = links;
  }

  void register(Api api) {
    String m = "context";
    api.get("/tasks/{id}/context/history",
        "The append-only ledger of a task's context writes, newest first (?key=&cursor=&limit=)", m,
        ctx -> {
          Integer limit = Http.queryInt(ctx, "limit", 1, 500);
          Http.ok(ctx, context.history(Http.caller(ctx), Http.id(ctx, "id"), blankToNull(ctx.queryParam("key")),
              ctx.queryParam("cursor"), limit == null ? 50 : limit));
        });
    api.get("/context/search",
        "Recall: context values across the tasks the caller may see, ranked lexically (human_stated weighs most)",
        m, this::search);
    String l = "links";
    api.get("/tasks/{id}/links", "Links of a task to branches, commits, PRs and URLs", l,
        ctx -> Http.ok(ctx, links.list(Http.caller(ctx), Http.id(ctx, "id"))));
    api.post("/tasks/{id}/links", "Link a task to a branch, commit, PR or URL {kind, repo, ref, url}", l,
        ctx -> Http.ok(ctx, links.add(Http.caller(ctx), Http.id(ctx, "id"), Http.body(ctx))));
  }

  private void search(Context ctx) {
    String q = ctx.queryParam("q");
    if (q == null) {
      q = ctx.queryParam("query");
    }
    if (q == null || q.isBlank()) {
      throw new DelegaException.ValidationFailed("q is required: the words to look for in context values");
    }
    if (q.length() > 500) {
      throw new DelegaException.ValidationFailed("q must be at most 500 characters");
    }
    String source = blankToNull(ctx.queryParam("source"));
    if (source != null && !TaskContext.SOURCES.contains(source)) {
      throw new DelegaException.ValidationFailed(
          "source must be one of human_stated, agent_inferred, agent_observed, imported (got '" + source + "')");
    }
    String key = blankToNull(ctx.queryParam("key"));
    Integer limit = Http.queryInt(ctx, "limit", 1, 100);
    Boolean superseded = Http.queryBool(ctx, "include_superseded");
    Http.ok(
        ctx,
        recall.search(
            Http.caller(ctx),
            new Recall.Request(
                q.strip(), Http.queryId(ctx, "project_id"), source, key, limit == null ? 20 : limit,
                superseded != null && superseded)));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
