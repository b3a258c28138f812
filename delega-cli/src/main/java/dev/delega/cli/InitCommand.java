package dev.delega.cli;

import dev.delega.api.Json;
import dev.delega.client.DelegaApiException;
import dev.delega.client.DelegaClient;
import dev.delega.client.DelegaTransportException;
import dev.delega.client.RawResponse;
import dev.delega.client.RequestOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code delega init}: on a running server with no agents yet, creates the first agent (it becomes
 * the admin), saves the URL and key in {@code ~/.delega/config.json} and prints the MCP
 * configuration for the common clients. Without a key the server allows this only from loopback,
 * or with its bootstrap token.
 */
@Command(
    name = "init",
    description = "Bootstrap the first agent on a running server, save its key, and print MCP client configs.",
    footer = {"", "Example: delega serve & delega init --name coordinator --client claude-code"})
final class InitCommand extends DelegaCommand {
  @Option(names = "--name", defaultValue = "my-agent", description = "Name of the first agent (default: ${DEFAULT-VALUE}).")
  String name;

  @Option(names = "--display-name", description = "Its display name.")
  String displayName;

  @Option(names = "--bootstrap-token", paramLabel = "<token>", description = "The server's DELEGA_BOOTSTRAP_TOKEN, needed from a non-loopback address (default: $DELEGA_BOOTSTRAP_TOKEN).")
  String bootstrapToken;

  @Option(names = "--client", split = ",", paramLabel = "<client>", description = "Print the MCP config only for these: claude-code, claude-desktop, cursor, windsurf, vscode, codex, continue, other (default: all).")
  List<String> clients;

  @Option(names = "--wait", defaultValue = "30", paramLabel = "<seconds>", description = "How long to wait for the server to answer /health (default: ${DEFAULT-VALUE}).")
  int waitSeconds;

  @Option(names = "--demo-task", description = "Also create a first task, as the official CLI does.")
  boolean demoTask;

  @Option(names = {"-f", "--force"}, description = "Bootstrap even though a key is already saved (it is replaced).")
  boolean force;

  @Override
  int run() throws InterruptedException {
    ConfigFile config = new ConfigFile(session().home());
    if (!force && config.read().apiKey() != null) {
      throw new CliException(
          "A key is already saved in " + config.file() + ". Run `delega whoami`, or pass --force to bootstrap again.");
    }
    List<String> wanted = clients == null || clients.isEmpty() ? McpSnippets.CLIENTS : clients;
    for (String c : wanted) {
      if (!McpSnippets.CLIENTS.contains(c)) {
        throw new CliException("Unknown --client '" + c + "'; choose from " + String.join(", ", McpSnippets.CLIENTS));
      }
    }
    Target target = target();
    String serverVersion = waitForHealth(target);
    String token = bootstrapToken != null ? bootstrapToken : session().var("DELEGA_BOOTSTRAP_TOKEN");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    if (displayName != null) {
      body.put("display_name", displayName);
    }
    JsonNode agent;
    try (DelegaClient keyless = target.client(null)) {
      RequestOptions options = token == null ? RequestOptions.none() : RequestOptions.none().withHeader("X-Bootstrap-Token", token);
      agent = keyless.call("POST", "/agents", body, JsonNode.class, options);
    } catch (DelegaApiException e) {
      if (e.status() == 401 || e.status() == 403) {
        throw new CliException(
            "The server refused to create an agent without a key (" + e.getMessage() + "). Either it already has"
                + " agents (ask an admin for a key, then run `delega login`), or this machine is not its loopback"
                + " (pass --bootstrap-token).");
      }
      throw e;
    }
    String key = agent.path("api_key").asString(null);
    if (key == null) {
      throw new CliException("The server created agent #" + agent.path("id").asString() + " but sent no api_key");
    }
    JsonNode task = null;
    try {
      config.write(new ConfigFile.Values(target.apiUrl(), key));
      if (demoTask) {
        try (DelegaClient c = target.client(key)) {
          task = c.call("POST", "/tasks", Map.of("content", "Review the Delega quickstart and try the API", "priority", 2), JsonNode.class);
        }
      }
    } catch (RuntimeException e) {
      session().err().println("The agent was created but setup failed; keep its key: " + key);
      throw e;
    }
    String command = System.getProperty("delega.launcher", "delega");
    McpSnippets snippets = new McpSnippets(command, target.apiUrl(), key);
    if (json) {
      ObjectNode out = Json.mapper().createObjectNode();
      out.put("api_url", target.apiUrl());
      out.put("server_version", serverVersion);
      out.set("agent", agent);
      out.put("api_key", key);
      out.put("config_file", config.file().toString());
      if (task != null) {
        out.set("demo_task", task);
      }
      ObjectNode mcp = out.putObject("mcp");
      wanted.forEach(c -> mcp.put(c, snippets.snippet(c)));
      printer().jsonWithSecrets(out);
      return 0;
    }
    Printer p = printer();
    p.line(p.green("✓") + " Delega is up at " + target.base() + (serverVersion == null ? "" : " (server " + serverVersion + ")"));
    p.line(p.green("✓") + " Agent " + p.bold(agent.path("name").asString()) + " (#" + agent.path("id").asString() + ", "
        + agent.path("role").asString("admin") + ") created. Its key is shown this once:");
    p.blank();
    p.line("    " + p.bold(key));
    p.blank();
    p.line(p.green("✓") + " Saved the URL and key to " + config.file());
    if (task != null) {
      p.line(p.green("✓") + " Created task #" + task.path("id").asString() + ": " + task.path("content").asString());
    }
    p.blank();
    p.line(p.bold("Connect an MCP client") + " (it runs `" + command + " mcp` over stdio):");
    for (String c : wanted) {
      p.blank();
      p.line(p.cyan(c) + p.dim(" — " + McpSnippets.where(c)));
      snippets.snippet(c).lines().forEach(l -> p.line("  " + l));
    }
    p.blank();
    p.line("Next: delega tasks create \"My first task\"   ·   delega status");
    return 0;
  }

  /** Polls {@code <root>/health} until it answers 200; returns the server version, if sent. */
  private String waitForHealth(Target target) throws InterruptedException {
    long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
    List<String> problems = new ArrayList<>();
    try (DelegaClient c = target.client(null)) {
      while (true) {
        try {
          RawResponse r = c.send("GET", target.healthUrl());
          if (r.status() == 200) {
            progressDone();
            JsonNode h = r.isEmpty() ? null : r.json();
            return h == null ? null : h.path("version").asString(null);
          }
          problems.add("HTTP " + r.status());
        } catch (DelegaTransportException e) {
          problems.add(e.getMessage());
        }
        if (System.nanoTime() >= deadline) {
          progressDone();
          throw new CliException("No Delega server answered at " + target.healthUrl() + " (" + problems.get(problems.size() - 1)
              + "). Start one with `delega serve`, or pass --api-url.");
        }
        progress("Waiting for " + target.healthUrl() + " …");
        Thread.sleep(500);
      }
    }
  }
}
