package dev.delega.mcp;

/**
 * What a tool call answers: one text for the agent, and whether it reports a failure.
 *
 * @param text the single text content
 * @param error true for an {@code isError} result
 */
record ToolResult(String text, boolean error) {
  static ToolResult ok(String text) {
    return new ToolResult(text, false);
  }

  static ToolResult failed(String text) {
    return new ToolResult(text, true);
  }
}
