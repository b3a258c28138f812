package dev.delega.server.mcp;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MCP clients of the official Java SDK against a running Delega server: Streamable HTTP at {@code
 * /mcp}, or stdio by launching {@code dev.delega.mcp.DelegaMcp} in a child JVM on this test's class
 * path, as {@code delega mcp} would run.
 */
final class McpClients {
  /** The two transports. */
  enum Transport {
    HTTP,
    STDIO
  }

  private McpClients() {}

  static McpSyncClient open(Transport transport, String rootUrl, String key) {
    return transport == Transport.HTTP ? http(rootUrl, key) : stdio(rootUrl + "/api", key);
  }

  /** An initialized client over Streamable HTTP, sending the key as {@code X-Agent-Key}. */
  static McpSyncClient http(String rootUrl, String key) {
    HttpRequest.Builder requests = HttpRequest.newBuilder();
    if (key != null) {
      requests.header("X-Agent-Key", key);
    }
    HttpClientStreamableHttpTransport transport =
        HttpClientStreamableHttpTransport.builder(rootUrl)
            .endpoint("/mcp")
            .requestBuilder(requests)
            .build();
    return initialized(McpClient.sync(transport));
  }

  /** An initialized client over stdio of a child {@code java dev.delega.mcp.DelegaMcp}. */
  static McpSyncClient stdio(String apiUrl, String key) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("DELEGA_API_URL", apiUrl);
    env.put("DELEGA_AGENT_KEY", key);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ServerParameters params =
        ServerParameters.builder(java)
            .args(
                List.of(
                    "-Ddelega.log.level=warn",
                    "-cp",
                    System.getProperty("java.class.path"),
                    "dev.delega.mcp.DelegaMcp"))
            .env(env)
            .build();
    StdioClientTransport transport = new StdioClientTransport(params, McpJsonDefaults.getMapper());
    transport.setStdErrorHandler(line -> System.err.println("[delega mcp stdio] " + line));
    return initialized(McpClient.sync(transport));
  }

  private static McpSyncClient initialized(McpClient.SyncSpec spec) {
    McpSyncClient client =
        spec.requestTimeout(Duration.ofSeconds(60))
            .initializationTimeout(Duration.ofSeconds(60))
            .clientInfo(new McpSchema.Implementation("delega-tests", "1.0"))
            .build();
    client.initialize();
    return client;
  }

  /** Calls a tool; returns the result. */
  static McpSchema.CallToolResult call(McpSyncClient client, String tool, Map<String, Object> args) {
    return client.callTool(new McpSchema.CallToolRequest(tool, args));
  }

  /** The single text content of a result. */
  static String text(McpSchema.CallToolResult result) {
    if (result.content() == null || result.content().size() != 1
        || !(result.content().getFirst() instanceof McpSchema.TextContent t)) {
      throw new AssertionError("expected exactly one text content, got " + result.content());
    }
    return t.text();
  }
}
