package dev.delega.cli;

import dev.delega.mcp.DelegaMcp;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * {@code delega mcp}: the MCP server on stdin/stdout, for Claude Code, Cursor and other MCP
 * clients. It reads {@code DELEGA_API_URL} and {@code DELEGA_AGENT_KEY} / {@code DELEGA_API_KEY};
 * {@code --api-url} wins over the variable, and when the variables are unset the URL and key saved
 * by {@code delega init} / {@code login} are passed in their place. Logs go to stderr; stdout
 * carries only the protocol.
 */
@Command(
    name = "mcp",
    description = "Serve the Delega MCP tools over stdio (for Claude Code, Cursor, VS Code, Codex…).")
final class McpCommand extends DelegaCommand {
  @Override
  int run() throws Exception {
    DelegaMcp.serveStdio(DelegaMcp.clientFromEnv(environment(session(), target(), root().apiUrl() != null)));
    return 0;
  }

  /** The environment handed to the MCP server: the session's, completed from the CLI's target. */
  static Map<String, String> environment(Session session, Target target, boolean urlFlag) {
    Map<String, String> env = new HashMap<>(session.env());
    if (urlFlag || session.var("DELEGA_API_URL") == null) {
      env.put("DELEGA_API_URL", target.apiUrl());
    }
    if (session.var("DELEGA_AGENT_KEY") == null && session.var("DELEGA_API_KEY") == null && target.apiKey() != null) {
      env.put("DELEGA_AGENT_KEY", target.apiKey());
    }
    return env;
  }
}
