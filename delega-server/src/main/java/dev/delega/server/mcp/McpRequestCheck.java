package dev.delega.server.mcp;

import dev.delega.api.Json;
import dev.delega.server.internal.Fields;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;

/**
 * The shape check of a {@code POST /mcp} body before the MCP SDK reads it: one JSON-RPC 2.0 message
 * object with a string {@code method}, a string or integer {@code id}, object {@code params}, and for
 * {@code tools/call} a string {@code name} and object {@code arguments}. The SDK's transport answers
 * 500 (or an error naming its Java classes) to several of these shapes, so they never reach it.
 *
 * <p>HTTP statuses follow the SDK and the Streamable HTTP transport: a body that is not a JSON-RPC
 * request or notification is {@code 400} with an error whose {@code id} is null (as the SDK answers
 * an unreadable message); a well-formed request whose params do not fit is a JSON-RPC error
 * response {@code 200} carrying the request's {@code id} (as the SDK answers an unknown tool), and a
 * notification (no {@code id}, so no response) with such params is {@code 400}.
 */
final class McpRequestCheck {
  static final int PARSE_ERROR = -32700;
  static final int INVALID_REQUEST = -32600;
  static final int INVALID_PARAMS = -32602;
  static final int INTERNAL_ERROR = -32603;

  private McpRequestCheck() {}

  /** What the check decided. */
  sealed interface Verdict {}

  /** The body is a message the SDK may read; {@code id} is null for a notification or a response. */
  record Pass(JsonNode id, String method) implements Verdict {}

  /** The body is refused with this JSON-RPC error, sent with HTTP {@code status}. */
  record Refuse(int status, JsonNode id, int code, String message) implements Verdict {}

  static Verdict check(byte[] body) {
    if (!Fields.isUtf8(body)) {
      return invalid(PARSE_ERROR, "Parse error: the body is not valid UTF-8");
    }
    JsonNode tree;
    try {
      tree = Json.mapper().readTree(body);
    } catch (StreamConstraintsException e) {
      return invalid(PARSE_ERROR, "Parse error: the body nests too deeply or holds a value too long to read");
    } catch (JacksonException e) {
      return invalid(PARSE_ERROR, "Parse error: the body is not valid JSON");
    }
    if (tree == null || tree.isMissingNode()) {
      return invalid(PARSE_ERROR, "Parse error: the body is empty; send one JSON-RPC message");
    }
    if (tree.isArray()) {
      return invalid(INVALID_REQUEST, "Invalid Request: batches are not supported; send one JSON-RPC message per POST");
    }
    if (!tree.isObject()) {
      return invalid(INVALID_REQUEST, "Invalid Request: the body must be a JSON-RPC message object");
    }
    JsonNode id = tree.get("id");
    boolean hasId = id != null;
    if (hasId && !(id.isString() || id.isIntegralNumber())) {
      return invalid(INVALID_REQUEST, "Invalid Request: \"id\" must be a string or an integer");
    }
    JsonNode replyId = hasId ? id : NullNode.getInstance();
    JsonNode version = tree.get("jsonrpc");
    if (version == null || !version.isString() || !version.asString().equals("2.0")) {
      return new Refuse(400, replyId, INVALID_REQUEST, "Invalid Request: \"jsonrpc\" must be \"2.0\"");
    }
    JsonNode method = tree.get("method");
    if (method == null) {
      if (tree.has("result") || tree.has("error")) {
        return new Pass(null, null); // a response: the SDK answers that it takes none
      }
      return new Refuse(400, replyId, INVALID_REQUEST, "Invalid Request: \"method\" is required");
    }
    if (!method.isString() || method.asString().isBlank()) {
      return new Refuse(400, replyId, INVALID_REQUEST, "Invalid Request: \"method\" must be a non-empty string");
    }
    String name = method.asString();
    String paramsProblem = paramsProblem(name, tree.get("params"));
    if (paramsProblem != null) {
      // a request gets a JSON-RPC error response; a notification (no response to give) a 400
      return new Refuse(hasId ? 200 : 400, replyId, INVALID_PARAMS, "Invalid params: " + paramsProblem);
    }
    return new Pass(hasId ? id : null, name);
  }

  /** Null when {@code params} fit {@code method}; else what to change. */
  private static String paramsProblem(String method, JsonNode params) {
    boolean absent = params == null || params.isNull();
    if (!absent && !params.isObject()) {
      return "\"params\" must be an object";
    }
    if (!method.equals("tools/call")) {
      return null;
    }
    if (absent) {
      return "tools/call needs \"params\" with the tool's \"name\" and its \"arguments\" object";
    }
    JsonNode name = params.get("name");
    if (name == null || !name.isString() || name.asString().isBlank()) {
      return "tools/call needs \"params.name\", the tool's name as a string";
    }
    JsonNode arguments = params.get("arguments");
    if (arguments != null && !arguments.isNull() && !arguments.isObject()) {
      return "\"params.arguments\" must be an object of the tool's arguments";
    }
    return null;
  }

  private static Refuse invalid(int code, String message) {
    return new Refuse(400, NullNode.getInstance(), code, message);
  }
}
