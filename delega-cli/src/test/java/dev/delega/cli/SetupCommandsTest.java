package dev.delega.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.server.testing.DelegaServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** init, login, whoami, status, reset, stats and usage; each test gets a fresh server. */
class SetupCommandsTest {
  @RegisterExtension final DelegaServerExtension server = new DelegaServerExtension();

  @Test
  void initBootstrapsTheFirstAgentSavesTheConfigAndPrintsMcpSnippets() throws Exception {
    Cli cli = new Cli();
    JsonNode init = cli.json("--api-url", server.rootUrl(), "init", "--name", "coordinator", "--wait", "5");
    String key = init.path("api_key").asString();
    assertThat(key).startsWith("dlg_");
    assertThat(init.path("agent").path("name").asString()).isEqualTo("coordinator");
    assertThat(init.path("agent").path("role").asString()).isEqualTo("admin");
    assertThat(init.path("mcp").propertyNames()).containsExactlyElementsOf(McpSnippets.CLIENTS);
    assertThat(init.path("mcp").path("vscode").asString()).contains("\"servers\"", "\"type\" : \"stdio\"", key);
    assertThat(init.path("mcp").path("codex").asString()).contains("[mcp_servers.delega]", "DELEGA_AGENT_KEY = \"" + key + "\"");
    assertThat(init.path("mcp").path("claude-code").asString()).startsWith("claude mcp add delega").contains(key, " mcp");

    Path dir = cli.home().resolve(".delega");
    Path file = dir.resolve("config.json");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(Files.readString(file)).contains(server.rootUrl(), key);

    JsonNode me = cli.json("whoami");
    assertThat(me.path("agent").path("name").asString()).isEqualTo("coordinator");

    Cli.Result again = cli.run("init");
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("--force");
    Cli.Result forced = cli.run("init", "--force", "--wait", "1");
    assertThat(forced.exit()).isEqualTo(1);
    assertThat(forced.err()).contains("refused to create an agent without a key");
  }

  @Test
  void initPrintsTheKeyAndTheChosenClientsForHumans() {
    Cli cli = new Cli();
    Cli.Result r = cli.run("--api-url", server.rootUrl(), "init", "--client", "cursor,codex", "--demo-task");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).containsPattern("dlg_\\S{20,}").contains("cursor", "codex", "mcpServers", "[mcp_servers.delega]")
        .contains("Created task #").doesNotContain("windsurf");
    assertThat(cli.run("--api-url", server.rootUrl(), "init", "--client", "emacs", "--force").err()).contains("Unknown --client");
  }

  @Test
  void initWaitsForNobodyWhenThereIsNoServer() {
    Cli.Result r = new Cli().run("--api-url", "http://127.0.0.1:1", "init", "--wait", "0");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("No Delega server answered", "delega serve");
  }

  @Test
  void loginChecksTheKeyAndSavesItWithTheUrl() throws Exception {
    String key = server.adminKey();
    Cli cli = new Cli();
    Cli.Result ok = cli.runWithInput(key + "\n", "--api-url", server.rootUrl(), "login");
    assertThat(ok.exit()).as(ok.toString()).isZero();
    assertThat(ok.out()).contains("Logged in as admin").doesNotContain(key);
    assertThat(Files.readString(cli.home().resolve(".delega/config.json"))).contains(server.rootUrl(), key);
    assertThat(cli.json("whoami").path("agent").path("name").asString()).isEqualTo("admin");

    Cli.Result notAKey = new Cli().runWithInput("hello\n", "--api-url", server.rootUrl(), "login");
    assertThat(notAKey.exit()).isEqualTo(1);
    assertThat(notAKey.err()).contains("dlg_");
    Cli.Result wrong = new Cli().runWithInput("dlg_wrong\n", "--api-url", server.rootUrl(), "login", "--json");
    assertThat(wrong.exit()).isEqualTo(1);
    assertThat(wrong.errJson().path("error").asString()).contains("refused that key");
  }

  @Test
  void statusReportsHealthAgentAndCounts() {
    Cli cli = Cli.against(server.rootUrl(), server.adminKey());
    cli.json("tasks", "create", "Counted");
    JsonNode status = cli.json("status");
    assertThat(status.path("healthy").asBoolean()).isTrue();
    assertThat(status.path("server_version").asString()).isEqualTo(dev.delega.server.Version.VALUE);
    assertThat(status.path("agent").path("name").asString()).isEqualTo("admin");
    assertThat(status.path("stats").path("total_tasks").asLong()).isEqualTo(1);
    assertThat(cli.run("status").out()).contains("connected", "admin", "1 open");

    Cli.Result down = Cli.against("http://127.0.0.1:1", null).run("status", "--json");
    assertThat(down.exit()).isEqualTo(1);
    assertThat(down.json().path("healthy").asBoolean()).isFalse();
    assertThat(Cli.against("http://127.0.0.1:1", null).run("status").out()).contains("unreachable");

    Cli.Result refused = Cli.against(server.rootUrl(), "dlg_refused").run("status", "--json");
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.json().path("healthy").asBoolean()).isTrue();
    assertThat(refused.json().path("error").asString()).contains("401");
  }

  @Test
  void statsAndUsage() {
    Cli cli = Cli.against(server.rootUrl(), server.adminKey());
    cli.json("tasks", "create", "One");
    assertThat(cli.json("stats").path("total_tasks").asLong()).isEqualTo(1);
    assertThat(cli.run("stats").out()).contains("Total tasks:", "Agents:");
    assertThat(cli.json("usage").path("plan").asString()).isEqualTo("self-hosted");
    assertThat(cli.run("usage").out()).contains("Plan:", "self-hosted", "unlimited");
  }

  @Test
  void resetRemovesTheSavedConfigOnlyWhenConfirmed() {
    Cli cli = new Cli();
    cli.json("--api-url", server.rootUrl(), "init", "--client", "other");
    Path dir = cli.home().resolve(".delega");
    assertThat(cli.json("reset", "--dry-run").path("would_remove").asBoolean()).isTrue();
    assertThat(cli.run("reset").exit()).isEqualTo(1);
    assertThat(dir).exists();
    assertThat(cli.json("reset", "--yes").path("config_dir_removed").asBoolean()).isTrue();
    assertThat(dir).doesNotExist();
    assertThat(cli.run("whoami").err()).contains("Not authenticated");
    assertThat(cli.json("reset", "--force").path("config_dir_removed").asBoolean()).isFalse();
  }

  @Test
  void environmentKeyWinsOverTheSavedOne() {
    Cli cli = new Cli();
    cli.json("--api-url", server.rootUrl(), "init", "--name", "saved", "--client", "other");
    String other = cli.json("agents", "create", "from-env").path("api_key").asString();
    cli.env("DELEGA_AGENT_KEY", other);
    assertThat(cli.json("whoami").path("agent").path("name").asString()).isEqualTo("from-env");
    cli.env("DELEGA_API_KEY", "dlg_wins_and_fails");
    assertThat(cli.run("whoami").exit()).isEqualTo(1);
  }
}
