package dev.delega.cli;

import dev.delega.api.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration snippets {@code delega init} prints so that an MCP client starts {@code delega
 * mcp} with the new key: one per client, in the file and format that client reads.
 *
 * @param command the program that runs the CLI (an absolute launcher path when known)
 * @param apiUrl the API URL the MCP server should use
 * @param apiKey the agent key
 */
record McpSnippets(String command, String apiUrl, String apiKey) {

  /** The client names {@code init --client} accepts, in the order they are printed. */
  static final List<String> CLIENTS =
      List.of("claude-code", "claude-desktop", "cursor", "windsurf", "vscode", "codex", "continue", "other");

  /** Where each client reads the snippet from. */
  static String where(String client) {
    return switch (client) {
      case "claude-code" -> "run in your project (or add to .mcp.json)";
      case "claude-desktop" -> "claude_desktop_config.json";
      case "cursor" -> "~/.cursor/mcp.json (or .cursor/mcp.json in a project)";
      case "windsurf" -> "~/.codeium/windsurf/mcp_config.json";
      case "vscode" -> ".vscode/mcp.json";
      case "codex" -> "~/.codex/config.toml";
      case "continue" -> ".continue/mcpServers/delega.yaml";
      default -> "any MCP client that takes an mcpServers entry";
    };
  }

  /** The snippet for one client. */
  String snippet(String client) {
    return switch (client) {
      case "claude-code" ->
          "claude mcp add delega --scope user"
              + " -e DELEGA_API_URL=" + shell(apiUrl)
              + " -e DELEGA_AGENT_KEY=" + shell(apiKey)
              + " -- " + shell(command) + " mcp";
      case "vscode" -> pretty(Map.of("servers", Map.of("delega", server(true))));
      case "codex" ->
          "[mcp_servers.delega]\n"
              + "command = " + toml(command) + "\n"
              + "args = [\"mcp\"]\n\n"
              + "[mcp_servers.delega.env]\n"
              + "DELEGA_API_URL = " + toml(apiUrl) + "\n"
              + "DELEGA_AGENT_KEY = " + toml(apiKey);
      case "continue" ->
          "name: Delega\nversion: 0.0.1\nschema: v1\nmcpServers:\n"
              + "  - name: delega\n"
              + "    command: " + toml(command) + "\n"
              + "    args: [\"mcp\"]\n"
              + "    env:\n"
              + "      DELEGA_API_URL: " + toml(apiUrl) + "\n"
              + "      DELEGA_AGENT_KEY: " + toml(apiKey);
      default -> pretty(Map.of("mcpServers", Map.of("delega", server(false))));
    };
  }

  /** Every client's snippet, by name. */
  Map<String, String> all() {
    Map<String, String> m = new LinkedHashMap<>();
    CLIENTS.forEach(c -> m.put(c, snippet(c)));
    return m;
  }

  private Map<String, Object> server(boolean typed) {
    Map<String, Object> s = new LinkedHashMap<>();
    if (typed) {
      s.put("type", "stdio");
    }
    s.put("command", command);
    s.put("args", List.of("mcp"));
    Map<String, String> env = new LinkedHashMap<>();
    env.put("DELEGA_API_URL", apiUrl);
    env.put("DELEGA_AGENT_KEY", apiKey);
    s.put("env", env);
    return s;
  }

  private static String pretty(Object value) {
    return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value);
  }

  /** A TOML (and YAML) basic string. */
  private static String toml(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** A POSIX shell word. */
  private static String shell(String s) {
    return s.matches("[A-Za-z0-9_./:@%+=,-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }
}
