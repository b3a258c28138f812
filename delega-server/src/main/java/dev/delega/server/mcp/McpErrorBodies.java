package dev.delega.server.mcp;

import dev.delega.api.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;

/**
 * JSON-RPC error bodies for {@code /mcp}, and the rewrite of the MCP SDK's own: its transport
 * serializes the whole {@code McpError} exception (stack trace, class names, line numbers), and its
 * internal errors carry Java exception messages. Clients get {@code {jsonrpc, id, error: {code,
 * message}}} with a short message instead; the detail is logged.
 */
final class McpErrorBodies {
  private static final Logger LOG = LoggerFactory.getLogger(McpErrorBodies.class);
  private static final int MAX_MESSAGE = 300;

  private McpErrorBodies() {}

  /** An answer to send instead of the SDK's. */
  record Answer(int status, byte[] body) {}

  /** A JSON-RPC error response. */
  static byte[] error(JsonNode id, int code, String message) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", code);
    error.put("message", message);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("jsonrpc", "2.0");
    body.put("id", id == null ? NullNode.getInstance() : id);
    body.put("error", error);
    return Json.mapper().writeValueAsBytes(body);
  }

  /**
   * What to send instead of the SDK's answer ({@code status}, {@code body}) to {@code request}, or
   * null to send it as it is.
   */
  static Answer rewrite(int status, byte[] body, McpRequestCheck.Pass request) {
    JsonNode id = request.id();
    JsonNode tree;
    try {
      tree = body.length == 0 ? null : Json.mapper().readTree(body);
    } catch (JacksonException e) {
      tree = null;
    }
    if (tree == null || !tree.isObject()) {
      if (status < 400) {
        return null; // 202 to a notification, or a success the SDK wrote
      }
      LOG.debug("MCP SDK answered {} with a body that is not JSON: {}", status, abbreviate(new String(body, StandardCharsets.UTF_8)));
      return status >= 500
          ? new Answer(status, error(id, McpRequestCheck.INTERNAL_ERROR, "Internal error"))
          : new Answer(status, error(id, McpRequestCheck.INVALID_REQUEST, "Invalid Request"));
    }
    JsonNode thrown = tree.get("jsonRpcError");
    if (thrown != null || tree.has("stackTrace")) {
      // the SDK's McpError, serialized as an exception
      int code = thrown != null && thrown.path("code").isIntegralNumber() ? thrown.path("code").asInt() : McpRequestCheck.INTERNAL_ERROR;
      String message = thrown != null && thrown.path("message").isString() ? thrown.path("message").asString() : tree.path("message").asString("");
      LOG.debug("MCP SDK error {} (HTTP {}) to {}: {}", code, status, request.method(), message);
      if (status >= 500 || code == McpRequestCheck.INTERNAL_ERROR) {
        return internal(status, id, request.method(), message);
      }
      return new Answer(status, error(id, code, abbreviate(message.isBlank() ? "Invalid Request" : message)));
    }
    JsonNode error = tree.get("error");
    if (error != null && error.isObject() && error.path("code").asInt() == McpRequestCheck.INTERNAL_ERROR) {
      // a JSON-RPC error response from the SDK's handler: its message is a Java exception's
      String message = error.path("message").asString("");
      LOG.debug("MCP SDK internal error (HTTP {}) to {}: {}", status, request.method(), message);
      return internal(status, id, request.method(), message);
    }
    return null;
  }

  /**
   * An internal error of the SDK: when it only failed to read the params into its types, the caller
   * sent params of the wrong shape (a JSON-RPC error response, like the SDK's answer to an unknown
   * tool); anything else is a server fault, told without its detail.
   */
  private static Answer internal(int status, JsonNode id, String method, String detail) {
    if (detail.contains("tools.jackson.databind") || detail.contains("MismatchedInputException")) {
      return new Answer(id == null || id.isNull() ? 400 : 200,
          error(id, McpRequestCheck.INVALID_PARAMS, "Invalid params: the params of '" + abbreviate(method) + "' do not have the shape the method takes"));
    }
    if (status >= 500) {
      LOG.warn("MCP request '{}' failed inside the MCP SDK: {}", method, abbreviate(detail));
    }
    return new Answer(status, error(id, McpRequestCheck.INTERNAL_ERROR, "Internal error"));
  }

  private static String abbreviate(String s) {
    if (s == null) {
      return "";
    }
    return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE) + "…";
  }
}
