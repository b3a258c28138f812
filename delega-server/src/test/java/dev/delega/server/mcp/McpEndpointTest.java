package dev.delega.server.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.delega.api.Json;
import dev.delega.server.testing.DelegaServerExtension;
import io.modelcontextprotocol.client.McpSyncClient;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** The {@code /mcp} endpoint's gate: agent key, Origin and Host checks, CORS, stateless answers. */
class McpEndpointTest {
  @RegisterExtension static final DelegaServerExtension server = new DelegaServerExtension();

  private static final String INITIALIZE =
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
          + "\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> post(String body, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.rootUrl() + "/mcp"))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void withoutAKeyIs401InTheApiErrorShape() throws Exception {
    HttpResponse<String> r = post(INITIALIZE);
    assertThat(r.statusCode()).isEqualTo(401);
    JsonNode body = Json.mapper().readTree(r.body());
    assertThat(body.get("code").asString()).isEqualTo("unauthorized");
    assertThat(body.get("error").asString()).contains("X-Agent-Key");
    assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"delega\"");
  }

  @Test
  void aWrongKeyIs401() throws Exception {
    assertThat(post(INITIALIZE, "X-Agent-Key", "dlg_not_a_key").statusCode()).isEqualTo(401);
    assertThat(post(INITIALIZE, "Authorization", "Bearer dlg_not_a_key").statusCode()).isEqualTo(401);
  }

  @Test
  void theJavaClientCannotConnectWithoutAKey() {
    assertThatThrownBy(() -> McpClients.http(server.rootUrl(), null)).isInstanceOf(RuntimeException.class);
  }

  @Test
  void aKeyAsBearerOrHeaderInitializes() throws Exception {
    HttpResponse<String> bearer = post(INITIALIZE, "Authorization", "Bearer " + server.adminKey());
    assertThat(bearer.statusCode()).isEqualTo(200);
    JsonNode result = Json.mapper().readTree(bearer.body()).get("result");
    assertThat(result.get("serverInfo").get("name").asString()).isEqualTo("delega-mcp");
    assertThat(result.get("instructions").asString()).contains("claim_task");
    assertThat(post(INITIALIZE, "X-Agent-Key", server.adminKey()).statusCode()).isEqualTo(200);
  }

  @Test
  void aForeignOriginIs403() throws Exception {
    HttpResponse<String> r = post(INITIALIZE, "X-Agent-Key", server.adminKey(), "Origin", "https://evil.example");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(Json.mapper().readTree(r.body()).get("error").asString()).contains("Origin 'https://evil.example'");
  }

  @Test
  void aConfiguredOriginIsAllowedWithCors() throws Exception {
    HttpResponse<String> r = post(INITIALIZE, "X-Agent-Key", server.adminKey(), "Origin", "http://localhost:5173");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://localhost:5173");
  }

  @Test
  void aForeignHostIs403() throws Exception {
    // java.net.http will not send a custom Host header, so write the request by hand
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      byte[] body = INITIALIZE.getBytes(StandardCharsets.UTF_8);
      String head =
          "POST /mcp HTTP/1.1\r\nHost: rebind.attacker.example:" + server.port() + "\r\n"
              + "X-Agent-Key: " + server.adminKey() + "\r\nContent-Type: application/json\r\n"
              + "Accept: application/json, text/event-stream\r\nContent-Length: " + body.length
              + "\r\nConnection: close\r\n\r\n";
      socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().write(body);
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 403").contains("DNS rebinding");
    }
  }

  @Test
  void getIsNotAStreamOnTheStatelessEndpoint() throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(server.rootUrl() + "/mcp"))
                .header("X-Agent-Key", server.adminKey())
                .header("Accept", "text/event-stream")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(405);
  }

  @Test
  void toolsActAsTheCallingAgent() {
    String key = server.newAgent("mcp-endpoint-worker");
    McpSyncClient client = McpClients.http(server.rootUrl(), key);
    try {
      String created = McpClients.text(McpClients.call(client, "create_task", Map.of("content", "Who made me?")));
      assertThat(created).contains("Created by: mcp-endpoint-worker");
      String agents = McpClients.text(McpClients.call(client, "delete_agent", Map.of("agent_id", 1)));
      assertThat(agents).startsWith("Error: ");
    } finally {
      client.closeGracefully();
    }
  }
}
