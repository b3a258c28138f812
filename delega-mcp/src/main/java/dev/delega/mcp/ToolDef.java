package dev.delega.mcp;

import dev.delega.client.DelegaClient;
import java.util.Map;

/**
 * One MCP tool: its name, what it tells the agent, its input schema, and what it does through the
 * Delega SDK. Transports only adapt it; they never define tools of their own.
 *
 * @param name the tool name agents call
 * @param description what the tool does and when to use it
 * @param inputSchema the JSON Schema of the arguments (see {@link Schema})
 * @param handler the work, answering the text for the agent
 */
record ToolDef(String name, String description, Map<String, Object> inputSchema, Handler handler) {

  /** The work of a tool. */
  @FunctionalInterface
  interface Handler {
    /**
     * Runs the tool.
     *
     * @throws ToolInputException for unusable arguments
     * @throws ToolFailure for a failure with its own text
     * @throws dev.delega.client.DelegaException for API and transport failures
     */
    String run(Call call);
  }

  /**
   * One invocation: the SDK client acting as the calling agent, the arguments and the options.
   *
   * @param client the Delega client, authenticated as the agent
   * @param args the checked arguments
   * @param options how secrets are shown
   */
  record Call(DelegaClient client, Args args, McpOptions options) {}
}
