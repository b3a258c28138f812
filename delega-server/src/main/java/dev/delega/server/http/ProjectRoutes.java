package dev.delega.server.http;

import dev.delega.api.Project;
import dev.delega.server.project.Projects;
import java.util.Map;

/** Routes of projects. */
final class ProjectRoutes {
  private final Projects projects;

  ProjectRoutes(Projects projects) {
    this.projects = projects;
  }

  void register(Api api) {
    String t = "projects";
    api.get("/projects", "List projects", t, ctx -> Http.ok(ctx, projects.list(Http.caller(ctx))));
    api.post("/projects", "Create a project (admins and coordinators)", t,
        ctx -> {
          Project p = projects.create(Http.caller(ctx), Http.body(ctx));
          ctx.header("Location", ctx.path() + "/" + p.id());
          Http.json(ctx, 201, p);
        });
    api.get("/projects/{id}", "Get a project", t, ctx -> Http.ok(ctx, projects.get(Http.caller(ctx), Http.id(ctx, "id"))));
    api.put("/projects/{id}", "Update a project (partial)", t,
        ctx -> Http.ok(ctx, projects.update(Http.caller(ctx), Http.id(ctx, "id"), Http.body(ctx))));
    api.patch("/projects/{id}", "Update a project (partial; same as PUT)", t,
        ctx -> Http.ok(ctx, projects.update(Http.caller(ctx), Http.id(ctx, "id"), Http.body(ctx))));
    api.delete("/projects/{id}", "Delete a project; its tasks stay, without a project", t,
        ctx -> {
          long id = Http.id(ctx, "id");
          projects.delete(Http.caller(ctx), id);
          Http.ok(ctx, Map.of("ok", true, "deleted", id));
        });
  }
}
