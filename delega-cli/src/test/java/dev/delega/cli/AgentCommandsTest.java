package dev.delega.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.server.testing.DelegaServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

class AgentCommandsTest {
  @RegisterExtension static final DelegaServerExtension server = new DelegaServerExtension();

  @Test
  void createsAnAgentShowingItsKeyOnceAndListsIt() {
    Cli admin = Cli.against(server.rootUrl(), server.adminKey());
    JsonNode agent = admin.json("agents", "create", "builder", "--display-name", "Build bot", "--role", "coordinator");
    String key = agent.path("api_key").asString();
    assertThat(key).startsWith("dlg_").hasSizeGreaterThan(20);
    assertThat(agent.path("role").asString()).isEqualTo("coordinator");

    Cli.Result list = admin.run("agents", "list", "--json");
    assertThat(list.exit()).isZero();
    assertThat(list.json()).extracting(a -> a.path("name").asString()).contains("builder");
    assertThat(list.out()).doesNotContain(key);
    assertThat(admin.run("agents", "list").out()).startsWith("ID").contains("builder", "Build bot", "coordinator");

    Cli.Result human = admin.run("agents", "create", "reviewer");
    assertThat(human.out()).contains("shown this once").containsPattern("dlg_\\S{20,}");

    Cli.Result whoami = Cli.against(server.rootUrl(), key).run("whoami");
    assertThat(whoami.exit()).isZero();
    assertThat(whoami.out()).contains("builder", Printer.mask(key)).doesNotContain(key);
  }

  @Test
  void rotatesAKeyOnlyWhenConfirmed() {
    Cli admin = Cli.against(server.rootUrl(), server.adminKey());
    JsonNode agent = admin.json("agents", "create", "rotating");
    String id = agent.path("id").asString();
    String oldKey = agent.path("api_key").asString();

    JsonNode dry = admin.json("agents", "rotate", id, "--dry-run");
    assertThat(dry.path("dry_run").asBoolean()).isTrue();
    assertThat(dry.path("would_rotate").path("name").asString()).isEqualTo("rotating");
    assertThat(admin.run("agents", "rotate", id).exit()).isEqualTo(1);
    assertThat(Cli.against(server.rootUrl(), oldKey).run("whoami").exit()).isZero();

    JsonNode rotated = admin.json("agents", "rotate", id, "--yes");
    String newKey = rotated.path("api_key").asString();
    assertThat(newKey).startsWith("dlg_").isNotEqualTo(oldKey);
    assertThat(Cli.against(server.rootUrl(), oldKey).run("whoami").exit()).isEqualTo(1);
    assertThat(Cli.against(server.rootUrl(), newKey).json("whoami").path("agent").path("name").asString()).isEqualTo("rotating");
  }

  @Test
  void deletesAnAgent() {
    Cli admin = Cli.against(server.rootUrl(), server.adminKey());
    String id = admin.json("agents", "create", "short-lived").path("id").asString();
    assertThat(admin.json("agents", "delete", id, "--dry-run").path("would_delete").path("id").asString()).isEqualTo(id);
    assertThat(admin.run("agents", "delete", id).exit()).isEqualTo(1);
    JsonNode deleted = admin.json("agents", "delete", id, "--yes");
    assertThat(deleted.path("deleted").asBoolean()).isTrue();
    assertThat(admin.json("agents", "list")).extracting(a -> a.path("id").asString()).doesNotContain(id);
  }

  @Test
  void confirmsOnATerminal() {
    Cli admin = Cli.against(server.rootUrl(), server.adminKey()).interactive(true).env("NO_COLOR", "1");
    String id = admin.json("agents", "create", "asked").path("id").asString();
    Cli.Result no = admin.runWithInput("n\n", "agents", "delete", id);
    assertThat(no.exit()).isEqualTo(1);
    assertThat(no.out()).contains("Delete agent #" + id + "? [y/N]");
    assertThat(no.err()).contains("Cancelled");
    Cli.Result yes = admin.runWithInput("y\n", "agents", "delete", id);
    assertThat(yes.exit()).isZero();
    assertThat(yes.out()).contains("Agent #" + id + " deleted.").doesNotContain("\u001b[");
  }

  @Test
  void coloursOnlyOnATerminalWithoutNoColor() {
    Cli tty = Cli.against(server.rootUrl(), server.adminKey()).interactive(true);
    assertThat(tty.run("agents", "list").out()).contains("\u001b[1m");
    assertThat(tty.env("NO_COLOR", "").run("agents", "list").out()).doesNotContain("\u001b[");
  }
}
