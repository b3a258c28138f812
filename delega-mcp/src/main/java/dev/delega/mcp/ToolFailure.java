package dev.delega.mcp;

/**
 * A tool failed with a complete text of its own (for example a context version conflict that shows
 * the current state), returned as is with {@code isError: true}.
 */
final class ToolFailure extends RuntimeException {
  ToolFailure(String text) {
    super(text);
  }
}
