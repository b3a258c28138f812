package dev.delega.mcp;

/** A tool was called with arguments it cannot use; the message tells the agent what to change. */
final class ToolInputException extends RuntimeException {
  ToolInputException(String message) {
    super(message);
  }
}
