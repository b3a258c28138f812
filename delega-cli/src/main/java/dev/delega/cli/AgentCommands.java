package dev.delega.cli;

import dev.delega.api.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code delega agents …}: list, create, rotate keys and delete agents. */
@Command(
    name = "agents",
    description = "List, create and delete agents; rotate their keys.",
    subcommands = {AgentCommands.ListAgents.class, AgentCommands.Create.class, AgentCommands.Rotate.class, AgentCommands.Delete.class})
final class AgentCommands extends GroupCommand {

  /** {@code agents list}. */
  @Command(name = "list", description = "List agents (admins and coordinators).")
  static final class ListAgents extends DelegaCommand {
    @Override
    int run() {
      try (Api api = api()) {
        JsonNode agents = api.get("/agents");
        if (json) {
          printer().json(agents);
          return 0;
        }
        if (!agents.isArray() || agents.isEmpty()) {
          printer().line("No agents.");
          return 0;
        }
        Printer p = printer();
        List<List<String>> rows = new ArrayList<>();
        agents.forEach(a -> rows.add(List.of(
            "#" + a.path("id").asString(),
            a.path("name").asString(""),
            a.path("display_name").isString() ? a.path("display_name").asString() : "",
            a.path("role").asString(""),
            a.path("active").asBoolean(true) ? p.green("yes") : p.red("no"),
            Text.date(Text.of(a, "created_at")) == null ? "" : Text.date(Text.of(a, "created_at")))));
        p.table(List.of("ID", "NAME", "DISPLAY NAME", "ROLE", "ACTIVE", "CREATED"), rows);
        return 0;
      }
    }
  }

  /** {@code agents create}. */
  @Command(name = "create", description = "Register an agent; its key is shown this once.")
  static final class Create extends DelegaCommand {
    @Parameters(paramLabel = "<name>")
    String name;

    @Option(names = "--display-name", description = "A friendlier name.")
    String displayName;

    @Option(names = "--description", description = "What the agent does.")
    String description;

    @Option(names = "--role", description = "worker (default), coordinator or admin.")
    String role;

    @Option(names = "--permissions", split = ",", description = "Extra permissions, e.g. tasks.read_all,tasks.assign_any.")
    List<String> permissions;

    @Override
    int run() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("name", name);
      TaskCommands.put(body, "display_name", displayName);
      TaskCommands.put(body, "description", description);
      TaskCommands.put(body, "role", role);
      TaskCommands.put(body, "permissions", permissions);
      try (Api api = api()) {
        JsonNode agent = api.post("/agents", body, dev.delega.client.RequestOptions.none());
        if (json) {
          printer().jsonWithSecrets(agent);
          return 0;
        }
        Printer p = printer();
        p.line("Agent " + p.bold(agent.path("name").asString()) + " (#" + agent.path("id").asString() + ", "
            + agent.path("role").asString("worker") + ") created. Its key is shown this once:");
        p.blank();
        p.line("    " + p.bold(agent.path("api_key").asString("")));
        p.blank();
        p.line("Give it to the agent as DELEGA_AGENT_KEY.");
        return 0;
      }
    }
  }

  /** {@code agents rotate}. */
  @Command(name = "rotate", description = "Replace an agent's key; the old one stops working at once.")
  static final class Rotate extends DelegaCommand {
    @Parameters(paramLabel = "<agent-id>")
    long id;

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
    boolean yes;

    @Option(names = "--dry-run", description = "Show the agent whose key would be replaced.")
    boolean dryRun;

    @Override
    int run() {
      try (Api api = api()) {
        if (dryRun) {
          JsonNode agent = api.get("/agents/" + id);
          return dryRun("would_rotate", agent, "Would replace the key of agent #" + id + " (" + agent.path("name").asString() + ").");
        }
        confirm(yes, "Replace the key of agent #" + id + "? The old key stops working at once.");
        JsonNode agent = api.post("/agents/" + id + "/rotate-key", null, dev.delega.client.RequestOptions.none());
        String key = agent.path("api_key").asString(null);
        if (json) {
          ObjectNode out = Json.mapper().createObjectNode();
          out.put("id", id);
          out.put("api_key", key);
          printer().jsonWithSecrets(out);
        } else {
          printer().line("New key for agent #" + id + " (shown this once):");
          printer().blank();
          printer().line("    " + printer().bold(key == null ? "" : key));
        }
        return 0;
      }
    }
  }

  /** {@code agents delete}. */
  @Command(name = "delete", description = "Delete an agent.")
  static final class Delete extends DelegaCommand {
    @Parameters(paramLabel = "<agent-id>")
    long id;

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
    boolean yes;

    @Option(names = "--dry-run", description = "Show the agent that would be deleted.")
    boolean dryRun;

    @Override
    int run() {
      try (Api api = api()) {
        if (dryRun) {
          JsonNode agent = api.get("/agents/" + id);
          return dryRun("would_delete", agent, "Would delete agent #" + id + " (" + agent.path("name").asString() + ").");
        }
        confirm(yes, "Delete agent #" + id + "?");
        api.delete("/agents/" + id);
        if (json) {
          ObjectNode out = Json.mapper().createObjectNode();
          out.put("id", id);
          out.put("deleted", true);
          printer().json(out);
        } else {
          printer().line("Agent #" + id + " deleted.");
        }
        return 0;
      }
    }
  }
}
