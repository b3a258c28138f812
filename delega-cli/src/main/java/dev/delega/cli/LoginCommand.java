package dev.delega.cli;

import dev.delega.api.Json;
import dev.delega.client.DelegaApiException;
import dev.delega.client.DelegaClient;
import java.io.Console;
import picocli.CommandLine.Command;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code delega login}: reads a key (without echo on a terminal, else the first line of stdin),
 * checks it with {@code GET /agent/me}, and saves it with the API URL in {@code
 * ~/.delega/config.json}. Unlike the official CLI it saves the URL too, so later commands reach the
 * same server.
 */
@Command(
    name = "login",
    description = "Save an agent key (read from the terminal without echo, or from stdin) after checking it.",
    footer = {"", "Example: echo \"$KEY\" | delega --api-url http://127.0.0.1:18890 login"})
final class LoginCommand extends DelegaCommand {
  @Override
  int run() {
    String key = readKey();
    if (key == null || key.isBlank()) {
      throw new CliException("No key given: type it at the prompt or pipe it on stdin.");
    }
    key = key.strip();
    if (!key.startsWith("dlg_")) {
      throw new CliException("That is not a Delega key: keys start with dlg_.");
    }
    Target target = target();
    JsonNode me;
    try (DelegaClient c = target.client(key)) {
      me = c.call("GET", "/agent/me", null, JsonNode.class);
    } catch (DelegaApiException e) {
      if (e.status() == 401 || e.status() == 403) {
        throw new CliException(target.base() + " refused that key: " + e.getMessage());
      }
      throw e;
    }
    ConfigFile config = new ConfigFile(session().home());
    config.write(new ConfigFile.Values(target.apiUrl(), key));
    JsonNode agent = me.path("agent");
    if (json) {
      ObjectNode out = Json.mapper().createObjectNode();
      out.put("api_url", target.apiUrl());
      out.set("agent", agent);
      out.put("config_file", config.file().toString());
      printer().json(out);
    } else {
      printer().line("Logged in as " + agent.path("name").asString() + " (#" + agent.path("id").asString() + ") on "
          + target.base() + ". Key saved to " + config.file());
    }
    return 0;
  }

  private String readKey() {
    Console console = System.console();
    if (session().interactive() && console != null) {
      char[] chars = console.readPassword("Delega API key: ");
      return chars == null ? null : new String(chars);
    }
    return session().readLine();
  }
}
