package dev.delega.server.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.delega.api.Json;
import dev.delega.server.testing.DelegaServerExtension;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The endpoint against an independent MCP client: the official TypeScript SDK's {@code Client},
 * driven by {@code delega-mcp/src/test/node/client.mjs}. Without {@code node} or without its
 * installed dependencies ({@code npm ci --prefix delega-mcp/src/test/node}) the test is reported
 * as aborted with the reason, never passed.
 */
class TypeScriptClientTest {
  @RegisterExtension static final DelegaServerExtension server = new DelegaServerExtension();

  /** The last two calls of the script are deliberate failures. */
  private static final int DELIBERATE_FAILURES = 2;

  @Test
  void typescriptSdkClientCallsEveryTool() throws Exception {
    Path dir = nodeDir();
    String node = nodeBinary();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    try {
      ProcessBuilder pb = new ProcessBuilder(node, "client.mjs").directory(dir.toFile());
      pb.environment().put("DELEGA_MCP_URL", server.rootUrl() + "/mcp");
      pb.environment().put("DELEGA_AGENT_KEY", server.adminKey());
      pb.environment().put("DELEGA_WEBHOOK_URL", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/ts-hook");
      pb.redirectError(ProcessBuilder.Redirect.INHERIT);
      Process p = pb.start();
      byte[] out = p.getInputStream().readAllBytes();
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("client.mjs finished").isTrue();
      String stdout = new String(out, StandardCharsets.UTF_8).trim();
      String last = stdout.substring(stdout.lastIndexOf('\n') + 1);
      JsonNode summary = Json.mapper().readTree(last);
      assertThat(p.exitValue()).as("client.mjs exit status; summary: " + last).isZero();

      assertThat(summary.get("server").get("name").asString()).isEqualTo("delega-mcp");
      assertThat(summary.get("instructions").asBoolean()).isTrue();
      List<String> names = new ArrayList<>();
      for (JsonNode tool : summary.get("tools")) {
        names.add(tool.get("name").asString());
        List<String> required = new ArrayList<>();
        tool.get("required").forEach(r -> required.add(r.asString()));
        assertThat(required).as(tool.get("name").asString())
            .containsExactlyInAnyOrderElementsOf(McpContract.TOOLS.get(tool.get("name").asString()));
      }
      assertThat(names).containsExactlyElementsOf(McpContract.TOOLS.keySet());

      JsonNode calls = summary.get("calls");
      Set<String> called = new LinkedHashSet<>();
      for (int i = 0; i < calls.size(); i++) {
        JsonNode c = calls.get(i);
        String tool = c.get("tool").asString();
        called.add(tool);
        assertThat(c.has("protocolError")).as(tool + " protocol error: " + c.path("protocolError").asString()).isFalse();
        assertThat(c.get("contentItems").asInt()).as(tool + " content items").isEqualTo(1);
        boolean deliberate = i >= calls.size() - DELIBERATE_FAILURES;
        assertThat(c.get("isError").asBoolean())
            .as(tool + " " + c.get("args") + " answered:\n" + c.get("text").asString())
            .isEqualTo(deliberate);
        if (deliberate) {
          assertThat(c.get("text").asString()).startsWith("Error: invalid arguments for " + tool);
        }
      }
      assertThat(called).containsExactlyInAnyOrderElementsOf(McpContract.TOOLS.keySet());
      assertThat(text(calls, "complete_task")).endsWith("completed.");
      assertThat(text(calls, "get_task_chain")).startsWith("Delegation chain (root #");
    } finally {
      receiver.stop(0);
    }
  }

  private static String text(JsonNode calls, String tool) {
    for (JsonNode c : calls) {
      if (c.get("tool").asString().equals(tool)) {
        return c.get("text").asString();
      }
    }
    throw new AssertionError("no call of " + tool);
  }

  /** {@code delega-mcp/src/test/node} with its dependencies installed, or the test aborts. */
  static Path nodeDir() {
    String configured = System.getProperty("delega.mcp.node.dir", System.getenv("DELEGA_MCP_NODE_DIR"));
    Path dir = null;
    if (configured != null && !configured.isBlank()) {
      dir = Path.of(configured);
    } else {
      for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
        Path candidate = p.resolve("delega-mcp/src/test/node");
        if (Files.isRegularFile(candidate.resolve("client.mjs"))) {
          dir = candidate;
          break;
        }
      }
    }
    if (dir == null || !Files.isRegularFile(dir.resolve("client.mjs"))) {
      Assumptions.abort("Skipped: delega-mcp/src/test/node/client.mjs not found from " + System.getProperty("user.dir")
          + " (set -Ddelega.mcp.node.dir)");
    }
    if (!Files.isRegularFile(dir.resolve("node_modules/@modelcontextprotocol/sdk/package.json"))) {
      Assumptions.abort("Skipped: the TypeScript MCP SDK is not installed in " + dir
          + "; run: npm ci --prefix delega-mcp/src/test/node");
    }
    return dir;
  }

  /** The {@code node} executable ({@code DELEGA_NODE} or {@code node} on the PATH), or the test aborts. */
  static String nodeBinary() {
    String node = System.getenv().getOrDefault("DELEGA_NODE", "node");
    try {
      Process p = new ProcessBuilder(node, "--version").redirectErrorStream(true).start();
      String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        Assumptions.abort("Skipped: '" + node + " --version' failed: " + version);
      }
      int major = Integer.parseInt(version.replaceFirst("^v(\\d+).*", "$1"));
      if (major < 18) {
        Assumptions.abort("Skipped: Node " + version + " is too old for the MCP TypeScript SDK (needs 18+)");
      }
    } catch (IOException e) {
      Assumptions.abort("Skipped: Node.js is not available ('" + node + "' could not run: " + e.getMessage() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      Assumptions.abort("Skipped: interrupted while checking for Node.js");
    } catch (NumberFormatException e) {
      Assumptions.abort("Skipped: unrecognised Node.js version");
    }
    return node;
  }
}
