package dev.delega.server.http;

import dev.delega.api.Agent;
import dev.delega.api.Me;
import dev.delega.server.agent.Agents;
import java.util.Map;

/** Routes of agent identities. */
final class AgentRoutes {
  private final Agents agents;

  AgentRoutes(Agents agents) {
    this.agents = agents;
  }

  void register(Api api) {
    String t = "agents";
    api.get("/agents", "List agents (admins and coordinators)", t, ctx -> Http.ok(ctx, agents.list(Http.caller(ctx))));
    api.post("/agents", "Register an agent; its key is shown once. The first agent may be created without a key from loopback", t,
        ctx -> {
          Agent a = agents.create(Http.caller(ctx), Http.body(ctx));
          ctx.header("Location", ctx.path() + "/" + a.id());
          Http.json(ctx, 201, a);
        });
    api.get("/agents/{id}", "Get an agent", t, ctx -> Http.ok(ctx, agents.get(Http.caller(ctx), Http.id(ctx, "id"))));
    api.put("/agents/{id}", "Update an agent (partial)", t,
        ctx -> Http.ok(ctx, agents.update(Http.caller(ctx), Http.id(ctx, "id"), Http.body(ctx))));
    api.patch("/agents/{id}", "Update an agent (partial; same as PUT)", t,
        ctx -> Http.ok(ctx, agents.update(Http.caller(ctx), Http.id(ctx, "id"), Http.body(ctx))));
    api.delete("/agents/{id}", "Delete an agent", t,
        ctx -> {
          long id = Http.id(ctx, "id");
          agents.delete(Http.caller(ctx), id);
          Http.ok(ctx, Map.of("ok", true, "deleted", id));
        });
    api.post("/agents/{id}/rotate-key", "Replace an agent's key; the new key is shown once", t,
        ctx -> Http.ok(ctx, agents.rotateKey(Http.caller(ctx), Http.id(ctx, "id"))));
    api.get("/agent/me", "The calling agent", t, ctx -> Http.ok(ctx, new Me(agents.me(Http.caller(ctx)))));
  }
}
