package dev.delega.server.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.api.Json;
import dev.delega.client.DelegaClient;
import dev.delega.server.testing.DelegaServerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Malformed JSON-RPC on {@code /mcp}: never a 5xx, always a JSON-RPC error object with a short
 * message, never a Java stack trace or exception name (the MCP SDK's transport answered 500 to some
 * of these and dumped its {@code McpError} with its stack trace for the rest).
 */
class McpMalformedRequestTest {
  @RegisterExtension static final DelegaServerExtension server = new DelegaServerExtension();

  private static final String ACCEPT = "application/json, text/event-stream";
  private static final String NESTED = "[".repeat(100_000) + "]".repeat(100_000);
  private static final String DEEP_PARAMS =
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"create_task\",\"arguments\":"
          + "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000) + "}}";

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> post(String body, String accept) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(server.rootUrl() + "/mcp"))
            .header("Content-Type", "application/json")
            .header("Accept", accept)
            .header("X-Agent-Key", server.adminKey())
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String call(String params) {
    return "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\"" + (params == null ? "" : ",\"params\":" + params) + "}";
  }

  /** Body, expected HTTP status, JSON-RPC code, and the id the error must carry ("null" for none). */
  static Stream<Arguments> malformed() {
    return Stream.of(
        // the three the fuzz found answered with 500
        Arguments.of("tools/call without params", call(null), 200, -32602, "7"),
        Arguments.of("arguments a string", call("{\"name\":\"create_task\",\"arguments\":\"x\"}"), 200, -32602, "7"),
        Arguments.of("arguments an array", call("{\"name\":\"create_task\",\"arguments\":[1]}"), 200, -32602, "7"),
        Arguments.of("the body null", "null", 400, -32600, "null"),
        // more shapes
        Arguments.of("params an array", call("[\"create_task\"]"), 200, -32602, "7"),
        Arguments.of("params a string on initialize", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":\"x\"}", 200, -32602, "1"),
        Arguments.of("tools/call without a name", call("{\"arguments\":{}}"), 200, -32602, "7"),
        Arguments.of("tools/call with a numeric name", call("{\"name\":5,\"arguments\":{}}"), 200, -32602, "7"),
        Arguments.of("a batch", "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"},{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}]", 400, -32600, "null"),
        Arguments.of("an empty batch", "[]", 400, -32600, "null"),
        Arguments.of("method a number", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":123}", 400, -32600, "1"),
        Arguments.of("method an object", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":{\"x\":1}}", 400, -32600, "1"),
        Arguments.of("no method", "{\"jsonrpc\":\"2.0\",\"id\":1}", 400, -32600, "1"),
        Arguments.of("id an object", "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"tools/list\"}", 400, -32600, "null"),
        Arguments.of("id an array", "{\"jsonrpc\":\"2.0\",\"id\":[1],\"method\":\"tools/list\"}", 400, -32600, "null"),
        Arguments.of("id a fraction", "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"ping\"}", 400, -32600, "null"),
        Arguments.of("jsonrpc 1.0", "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}", 400, -32600, "1"),
        Arguments.of("a number", "1", 400, -32600, "null"),
        Arguments.of("a string", "\"ping\"", 400, -32600, "null"),
        Arguments.of("truncated", "{\"jsonrpc\":\"2.0\",\"id\":1,", 400, -32700, "null"),
        Arguments.of("empty", "", 400, -32700, "null"),
        Arguments.of("100,000-deep nesting", NESTED, 400, -32700, "null"),
        Arguments.of("5,000-deep arguments", DEEP_PARAMS, 400, -32700, "null"),
        Arguments.of("a response, not a request", "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}", 400, -32600, "null"),
        Arguments.of("params the SDK cannot read", "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"initialize\",\"params\":{\"protocolVersion\":{}}}", 200, -32602, "3"),
        Arguments.of("a notification with array params", "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\",\"params\":[]}", 400, -32602, "null"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void aMalformedMessageIsAJsonRpcErrorWithoutInternals(String what, String body, int status, int code, String id)
      throws Exception {
    HttpResponse<String> r = post(body, ACCEPT);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    JsonNode error = assertJsonRpcError(r);
    assertThat(error.get("code").asInt()).as(r.body()).isEqualTo(code);
    assertThat(Json.mapper().readTree(r.body()).get("id").toString()).isEqualTo(id);
  }

  @Test
  void theSdksOwnRefusalIsRewrittenWithoutItsStackTrace() throws Exception {
    // the SDK refuses a POST whose Accept lacks text/event-stream with its McpError, stack trace included
    HttpResponse<String> r = post("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"ping\"}", "application/json");
    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode error = assertJsonRpcError(r);
    assertThat(error.get("message").asString()).contains("text/event-stream");
    assertThat(Json.mapper().readTree(r.body()).get("id").asInt()).isEqualTo(9);
  }

  @Test
  void aLargeMessageUnderTheLimitIsAnsweredAndOneOverItIs413() throws Exception {
    String padding = "x".repeat(900_000);
    HttpResponse<String> under =
        post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"no/such\",\"params\":{\"pad\":\"" + padding + "\"}}", ACCEPT);
    assertThat(under.statusCode()).isEqualTo(200);
    assertThat(assertJsonRpcError(under).get("code").asInt()).isEqualTo(-32601);

    HttpResponse<String> over = post(call("{\"name\":\"create_task\",\"arguments\":{\"content\":\"" + "y".repeat(2_000_000) + "\"}}"), ACCEPT);
    assertThat(over.statusCode()).isEqualTo(413);
    JsonNode problem = Json.mapper().readTree(over.body());
    assertThat(problem.get("code").asString()).isEqualTo("payload_too_large");
    assertNoInternals(over.body());
  }

  @Test
  void wellFormedMessagesStillWork() throws Exception {
    HttpResponse<String> ping = post("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"ping\"}", ACCEPT);
    assertThat(ping.statusCode()).isEqualTo(200);
    assertThat(Json.mapper().readTree(ping.body()).get("result").isObject()).isTrue();

    HttpResponse<String> created =
        post(call("{\"name\":\"create_task\",\"arguments\":{\"content\":\"made over raw MCP \u00e9\"}}"), ACCEPT);
    assertThat(created.statusCode()).isEqualTo(200);
    JsonNode result = Json.mapper().readTree(created.body()).get("result");
    assertThat(result.get("isError").asBoolean()).as(created.body()).isFalse();
    try (DelegaClient admin = DelegaClient.builder().baseUrl(server.baseUrl()).apiKey(server.adminKey()).retries(0).build()) {
      assertThat(admin.tasks().list()).anySatisfy(t -> assertThat(t.content()).isEqualTo("made over raw MCP \u00e9"));
    }

    HttpResponse<String> noArguments = post(call("{\"name\":\"list_tasks\"}"), ACCEPT);
    assertThat(noArguments.statusCode()).isEqualTo(200);
    assertThat(Json.mapper().readTree(noArguments.body()).get("result").get("isError").asBoolean()).isFalse();

    HttpResponse<String> notification = post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", ACCEPT);
    assertThat(notification.statusCode()).isEqualTo(202);
  }

  /** The body is {@code {jsonrpc: "2.0", id, error: {code, message}}} without Java internals; returns the error. */
  private static JsonNode assertJsonRpcError(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).isLessThan(500);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    JsonNode body = Json.mapper().readTree(r.body());
    assertThat(body.isObject()).as(r.body()).isTrue();
    assertThat(body.get("jsonrpc").asString()).isEqualTo("2.0");
    assertThat(body.has("id")).as(r.body()).isTrue();
    JsonNode error = body.get("error");
    assertThat(error.isObject()).as(r.body()).isTrue();
    assertThat(error.get("code").isIntegralNumber()).isTrue();
    assertThat(error.get("message").isString()).isTrue();
    assertThat(error.get("message").asString()).isNotBlank().hasSizeLessThan(400);
    assertNoInternals(r.body());
    return error;
  }

  private static void assertNoInternals(String body) {
    assertThat(body)
        .doesNotContain("at dev.")
        .doesNotContain("at io.")
        .doesNotContain("Exception")
        .doesNotContain("stackTrace")
        .doesNotContain("jsonRpcError")
        .doesNotContain("tools.jackson")
        .doesNotContain("io.modelcontextprotocol")
        .doesNotContain("java.")
        .doesNotContain("lineNumber");
  }
}
