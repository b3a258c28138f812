package dev.delega.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.api.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class RenderingTest {
  private final StringWriter out = new StringWriter();

  private Printer printer(boolean colour) {
    return new Printer(new PrintWriter(out, true), colour);
  }

  @Test
  void tablesAlignColumnsIgnoringColourCodes() {
    Printer p = printer(true);
    p.table(List.of("ID", "STATUS", "CONTENT"), List.of(
        List.of("#1", p.green("completed"), "First"),
        List.of("#12", "open", "Second")));
    List<String> lines = Printer.visible(out.toString()).lines().toList();
    assertThat(lines).containsExactly(
        "ID   STATUS     CONTENT",
        "#1   completed  First",
        "#12  open       Second");
    assertThat(out.toString()).contains("\u001b[32mcompleted\u001b[0m");
  }

  @Test
  void numbersAlignRight() {
    printer(false).table(List.of("KIND", "QUERIES", "RATE"), List.of(List.of("entity", "13", "7.7%"), List.of("paraphrase", "9", "100.0%")));
    assertThat(out.toString().lines().toList()).containsExactly(
        "KIND        QUERIES    RATE",
        "entity           13    7.7%",
        "paraphrase        9  100.0%");
  }

  @Test
  void noColourMeansNoEscapeCodes() {
    Printer p = printer(false);
    p.line(p.red(p.bold("urgent")) + p.priority(4) + p.status("blocked"));
    assertThat(out.toString()).isEqualTo("urgentP4blocked" + System.lineSeparator());
  }

  @Test
  void keysAreMaskedEverywhereButTheirCreation() {
    String key = "dlg_abcdefghijklmnopqrstuvwxyz0123456789";
    assertThat(Printer.mask(key)).isEqualTo("dlg_abcd…6789");
    JsonNode node = Json.mapper().valueToTree(Map.of("agents", List.of(Map.of("name", "a", "api_key", key))));
    printer(false).json(node);
    assertThat(out.toString()).contains("dlg_abcd…6789").doesNotContain(key);
    printer(false).jsonWithSecrets(node);
    assertThat(out.toString()).contains(key);
  }

  @Test
  void aChainIsATree() {
    JsonNode chain = Json.mapper().readTree("""
        {"root_id": 1, "depth": 2, "completed_count": 1, "total_count": 4, "chain": [
          {"id": 1, "content": "Ship the release", "status": "delegated"},
          {"id": 2, "content": "Run tests", "status": "delegated", "parent_task_id": 1, "assigned_to_agent": {"id": 5, "name": "qa"}},
          {"id": 3, "content": "Write notes", "status": "open", "parent_task_id": 1},
          {"id": 4, "content": "Fix flaky test", "status": "completed", "parent_task_id": 2, "assigned_to_agent_id": 6}
        ]}""");
    TaskText.chain(printer(false), chain);
    assertThat(out.toString().lines().toList()).containsExactly(
        "Delegation chain: root #1, depth 2, 1/4 complete",
        "#1 Ship the release [delegated]",
        "├── #2 Run tests [delegated] → qa",
        "│   └── #4 Fix flaky test [completed] → #6",
        "└── #3 Write notes [open]");
  }

  @Test
  void completionScriptCoversTheCommandTree() {
    Cli.Result r = new Cli().run("completion");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("complete -F", "tasks", "set-context", "dedup-eval", "--api-url");
  }

  @Test
  void mcpGetsTheCliUrlAndKeyWhenItsVariablesAreUnset() {
    Session bare = new Cli().env("HOME", "/nowhere").session();
    Target target = new Target("http://127.0.0.1:18890", "dlg_saved", "config");
    Map<String, String> env = McpCommand.environment(bare, target, false);
    assertThat(env).containsEntry("DELEGA_API_URL", "http://127.0.0.1:18890").containsEntry("DELEGA_AGENT_KEY", "dlg_saved");

    Session set = new Cli().env("DELEGA_API_URL", "http://localhost:1").env("DELEGA_API_KEY", "dlg_env").session();
    Map<String, String> kept = McpCommand.environment(set, new Target("http://localhost:1", "dlg_env", "DELEGA_API_KEY"), false);
    assertThat(kept).containsEntry("DELEGA_API_URL", "http://localhost:1").doesNotContainKey("DELEGA_AGENT_KEY");
    assertThat(McpCommand.environment(set, new Target("http://flag:2", "dlg_env", "x"), true)).containsEntry("DELEGA_API_URL", "http://flag:2");
  }

  @Test
  void snippetsQuoteForTheirFormat() {
    McpSnippets s = new McpSnippets("/opt/my tools/delega", "http://127.0.0.1:18890", "dlg_k");
    assertThat(s.snippet("claude-code")).isEqualTo(
        "claude mcp add delega --scope user -e DELEGA_API_URL=http://127.0.0.1:18890 -e DELEGA_AGENT_KEY=dlg_k -- '/opt/my tools/delega' mcp");
    assertThat(Json.mapper().readTree(s.snippet("cursor")).path("mcpServers").path("delega").path("args").get(0).asString()).isEqualTo("mcp");
    assertThat(Json.mapper().readTree(s.snippet("vscode")).path("servers").path("delega").path("type").asString()).isEqualTo("stdio");
    assertThat(s.snippet("codex")).contains("command = \"/opt/my tools/delega\"");
  }
}
