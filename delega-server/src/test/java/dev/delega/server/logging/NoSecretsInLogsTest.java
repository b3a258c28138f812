package dev.delega.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.api.Json;
import dev.delega.client.DelegaClient;
import dev.delega.client.RawResponse;
import dev.delega.server.testing.DelegaServerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Everything the server logs while keys are made, rotated and misused, webhooks and ingress sources
 * get secrets and {@code /metrics} is scraped is valid JSON, carries the request id, and shows no
 * key or secret. Our loggers run at trace; third-party loggers at debug, except Jetty's, whose
 * debug lines dump raw request bytes (see docs/operations.md).
 */
class NoSecretsInLogsTest {
  private static final String PEPPER = "pepper-0123456789-abcdefghij";
  private static final String METRICS_TOKEN = "metrics-token-5f1e2d3c4b5a";
  private static final String BOOTSTRAP_TOKEN = "bootstrap-token-9a8b7c6d5e";
  private static final String USER_WEBHOOK_SECRET = "my-own-webhook-secret-7d41c0";
  private static final String REQUEST_ID = "req-secrets-test-1";
  private static final String MCP_REQUEST_ID = "req-mcp-test-1";

  private static final ConcurrentLinkedQueue<String> LINES = new ConcurrentLinkedQueue<>();
  private static final Logs.Settings BEFORE = Logs.settings();
  private static final Consumer<String> PREVIOUS = startCapture();

  @RegisterExtension
  static final DelegaServerExtension server =
      new DelegaServerExtension()
          .env("DELEGA_KEY_PEPPER", PEPPER)
          .env("DELEGA_METRICS_TOKEN", METRICS_TOKEN)
          .env("DELEGA_BOOTSTRAP_TOKEN", BOOTSTRAP_TOKEN);

  private static Consumer<String> startCapture() {
    Logs.configure(LogFormat.JSON, LogLevels.parse("debug,dev.delega=trace,org.eclipse.jetty=info"));
    return Logs.sink(LINES::add);
  }

  @AfterAll
  static void restore() {
    Logs.sink(PREVIOUS);
    Logs.configure(BEFORE.format(), BEFORE.levels());
  }

  @Test
  void secretsNeverReachTheLogAndEveryLineIsJsonWithTheRequestId() throws Exception {
    List<String> secrets = new ArrayList<>(List.of(PEPPER, METRICS_TOKEN, BOOTSTRAP_TOKEN, USER_WEBHOOK_SECRET));
    String admin = server.adminKey();
    secrets.add(admin);
    DelegaClient root = DelegaClient.builder().baseUrl(server.baseUrl()).apiKey(admin).retries(0).build();

    String first = server.newAgent("worker-1");
    secrets.add(first);
    long id = server.agentId(first);
    JsonNode rotated = root.send("POST", "/agents/" + id + "/rotate-key", Map.of()).json();
    String second = rotated.get("api_key").asString();
    secrets.add(second);
    assertThat(second).startsWith("dlg_").isNotEqualTo(first);

    RawResponse own = root.send("POST", "/webhooks",
        Map.of("url", "http://127.0.0.1:1/hook", "events", List.of("task.created"), "secret", USER_WEBHOOK_SECRET));
    assertThat(own.status()).isEqualTo(201);
    RawResponse generated = root.send("POST", "/webhooks", Map.of("url", "http://127.0.0.1:1/other"));
    assertThat(generated.status()).isEqualTo(201);
    secrets.add(generated.json().get("secret").asString());
    RawResponse ingress = root.send("POST", "/ingress-sources", Map.of("name", "ci", "template", Map.of("content", "x")));
    assertThat(ingress.status()).isEqualTo(201);
    secrets.add(ingress.json().get("secret").asString());

    DelegaClient worker = DelegaClient.builder().baseUrl(server.baseUrl()).apiKey(second).retries(0).build();
    assertThat(worker.send("POST", "/tasks", Map.of("content", "log me"), Map.of("X-Request-Id", REQUEST_ID)).status())
        .isEqualTo(201);
    String forged = "dlg_" + "A".repeat(43);
    secrets.add(forged);
    DelegaClient stranger = DelegaClient.builder().baseUrl(server.baseUrl()).apiKey(forged).retries(0).build();
    assertThat(stranger.send("GET", "/tasks").status()).isEqualTo(401);
    DelegaClient former = DelegaClient.builder().baseUrl(server.baseUrl()).apiKey(first).retries(0).build();
    assertThat(former.send("GET", "/tasks").status()).isEqualTo(401);

    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> bearer = http.send(
        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/agent/me"))
            .header("Authorization", "Bearer " + second).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(bearer.statusCode()).isEqualTo(200);
    HttpResponse<String> scrape = http.send(
        HttpRequest.newBuilder(URI.create(server.rootUrl() + "/metrics"))
            .header("Authorization", "Bearer " + METRICS_TOKEN).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(scrape.statusCode()).isEqualTo(200);
    HttpResponse<String> mcp = http.send(
        HttpRequest.newBuilder(URI.create(server.rootUrl() + "/mcp"))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .header("X-Agent-Key", second)
            .header("X-Request-Id", MCP_REQUEST_ID)
            .POST(HttpRequest.BodyPublishers.ofString(
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                    + "\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(mcp.statusCode()).isEqualTo(200);
    assertThat(mcp.headers().firstValue("X-Request-Id")).hasValue(MCP_REQUEST_ID);
    HttpResponse<String> mcpNoKey = http.send(
        HttpRequest.newBuilder(URI.create(server.rootUrl() + "/mcp"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(mcpNoKey.statusCode()).isEqualTo(401);
    assertThat(mcpNoKey.headers().firstValue("X-Request-Id")).isPresent();
    server.stop();
    server.start();

    List<String> lines = List.copyOf(LINES);
    assertThat(lines).hasSizeGreaterThan(20);
    for (String line : lines) {
      for (String secret : secrets) {
        assertThat(line).as("a log line shows a secret").doesNotContain(secret);
      }
      JsonNode json = Json.mapper().readTree(line);
      assertThat(json.isObject()).as(line).isTrue();
      assertThat(json.path("ts").asString()).as(line).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
      assertThat(json.path("level").asString()).as(line).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
      assertThat(json.path("logger").asString()).as(line).isNotEmpty();
      assertThat(json.path("thread").asString()).as(line).isNotEmpty();
      assertThat(json.has("msg")).as(line).isTrue();
    }
    List<JsonNode> access = lines.stream().map(l -> Json.mapper().readTree(l))
        .filter(j -> j.path("logger").asString().equals("dev.delega.access")).toList();
    assertThat(access).hasSizeGreaterThan(8);
    assertThat(access).allSatisfy(a -> assertThat(a.path("request_id").asString()).matches("[\\w.:-]+"));
    JsonNode created = access.stream().filter(a -> a.path("request_id").asString().equals(REQUEST_ID)).findFirst().orElseThrow();
    assertThat(created.path("method").asString()).isEqualTo("POST");
    assertThat(created.path("route").asString()).isEqualTo("/api/tasks");
    assertThat(created.path("status").asInt()).isEqualTo(201);
    assertThat(created.path("agent_id").asString()).isEqualTo(String.valueOf(id));
    assertThat(created.path("duration_ms").isNumber()).isTrue();
    assertThat(created.path("duration_ms").asLong()).isNotNegative();
    assertThat(access).anySatisfy(a -> {
      assertThat(a.path("status").asInt()).isEqualTo(401);
      assertThat(a.has("agent_id")).isFalse();
    });
    // /mcp is served outside Javalin's handlers and still gets its line, id and agent.
    JsonNode mcpLine = access.stream().filter(a -> a.path("request_id").asString().equals(MCP_REQUEST_ID)).findFirst().orElseThrow();
    assertThat(mcpLine.path("method").asString()).isEqualTo("POST");
    assertThat(mcpLine.path("route").asString()).isEqualTo("/mcp");
    assertThat(mcpLine.path("status").asInt()).isEqualTo(200);
    assertThat(mcpLine.path("agent_id").asString()).isEqualTo(String.valueOf(id));
    assertThat(access).anySatisfy(a -> {
      assertThat(a.path("route").asString()).isEqualTo("/mcp");
      assertThat(a.path("status").asInt()).isEqualTo(401);
      assertThat(a.has("agent_id")).isFalse();
    });
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"logger\":\"org.eclipse.jetty"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"logger\":\"org.flywaydb"));
  }
}
