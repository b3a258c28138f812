package dev.delega.cli;

import dev.delega.api.Json;
import dev.delega.client.DelegaApiException;
import dev.delega.client.DelegaClient;
import dev.delega.client.DelegaTransportException;
import dev.delega.client.RawResponse;
import picocli.CommandLine.Command;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code delega status}: is the server up ({@code <root>/health}, no key), and, with a key, who am
 * I and how many tasks are there. Exits 1 when the server is unreachable or unhealthy.
 */
@Command(name = "status", description = "Check the server's health and, with a key, the agent and task counts.")
final class StatusCommand extends DelegaCommand {
  @Override
  int run() {
    Target target = target();
    ObjectNode out = Json.mapper().createObjectNode();
    out.put("api_url", target.base().toString());
    String problem = null;
    JsonNode health = null;
    try (DelegaClient c = target.client(null)) {
      RawResponse r = c.send("GET", target.healthUrl());
      if (r.status() == 200) {
        health = r.isEmpty() ? Json.mapper().createObjectNode() : r.json();
      } else {
        problem = "HTTP " + r.status() + " from " + target.healthUrl();
      }
    } catch (DelegaTransportException e) {
      problem = e.getMessage();
    }
    boolean healthy = health != null && health.path("ok").asBoolean(true);
    out.put("healthy", healthy);
    out.put("server_version", health == null ? null : health.path("version").asString(null));
    JsonNode agent = null;
    JsonNode stats = null;
    String authProblem = null;
    if (healthy && target.apiKey() != null) {
      try (Api api = new Api(target.client())) {
        agent = api.get("/agent/me").path("agent");
        stats = api.get("/stats");
      } catch (DelegaApiException e) {
        authProblem = e.getMessage() + " [" + e.status() + "]";
      }
    }
    out.set("agent", agent);
    out.set("stats", stats);
    if (authProblem != null) {
      out.put("error", authProblem);
    }
    if (problem != null) {
      out.put("error", problem);
    }
    if (json) {
      printer().json(out);
      return healthy && authProblem == null ? 0 : 1;
    }
    Printer p = printer();
    p.field("API", target.base(), 8);
    if (!healthy) {
      p.field("Server", p.red("unreachable") + (problem == null ? "" : " (" + problem + ")"), 8);
      p.blank();
      p.line("Is it running? Start one with `delega serve`, or point at another with --api-url / DELEGA_API_URL.");
      return 1;
    }
    p.field("Server", p.green("connected") + (out.path("server_version").isString() ? " (delega " + out.path("server_version").asString() + ")" : ""), 8);
    if (target.apiKey() == null) {
      p.field("Agent", "not logged in (run `delega login` or `delega init`)", 8);
    } else if (authProblem != null) {
      p.field("Agent", p.red(authProblem), 8);
      return 1;
    } else {
      p.field("Agent", agent.path("name").asString() + " (#" + agent.path("id").asString() + ", " + agent.path("role").asString("?") + ")", 8);
      p.field("Tasks", stats.path("pending_tasks").asLong() + " open, " + stats.path("completed_tasks").asLong() + " completed, "
          + stats.path("overdue").asLong() + " overdue", 8);
      p.field("Agents", stats.path("total_agents").asLong() + " (" + stats.path("active_agents").asLong() + " active)", 8);
    }
    return 0;
  }
}
