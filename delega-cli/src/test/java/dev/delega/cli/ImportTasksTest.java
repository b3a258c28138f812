package dev.delega.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.server.testing.DelegaServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

class ImportTasksTest {
  @RegisterExtension final DelegaServerExtension server = new DelegaServerExtension();

  @Test
  void importsJsonLinesOnceEvenWhenRunTwice() throws Exception {
    Cli cli = Cli.against(server.rootUrl(), server.adminKey());
    Path file = cli.workDir().resolve("backlog.jsonl");
    Files.writeString(file, """
        {"content": "Rotate the staging password", "priority": 3, "labels": ["ops"]}

        {"content": "Write the release notes"}
        """);
    JsonNode dry = cli.json("tasks", "import", "backlog.jsonl", "--dry-run");
    assertThat(dry.path("tasks").asInt()).isEqualTo(2);
    assertThat(cli.json("tasks", "list")).isEmpty();

    JsonNode first = cli.json("tasks", "import", "backlog.jsonl");
    assertThat(first.path("created")).hasSize(2);
    assertThat(first.path("errors")).isEmpty();
    JsonNode again = cli.json("tasks", "import", "backlog.jsonl");
    assertThat(again.path("created")).isEqualTo(first.path("created"));
    assertThat(cli.json("tasks", "list")).hasSize(2);
    assertThat(cli.json("tasks", "list", "--label", "ops").get(0).path("priority").asInt()).isEqualTo(3);
  }

  @Test
  void readsAJsonArrayFromStdinAndReportsRefusals() {
    Cli cli = Cli.against(server.rootUrl(), server.adminKey());
    Cli.Result r = cli.runWithInput("[{\"content\": \"Fine\"}, {\"content\": \"Bad priority\", \"priority\": 9}, {\"content\": \"Also fine\"}]",
        "tasks", "import", "-", "--keep-going", "--json");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.json().path("created")).hasSize(2);
    assertThat(r.json().path("errors").get(0).path("item").asInt()).isEqualTo(2);

    Cli.Result stops = cli.runWithInput("{\"content\": \"Bad\", \"priority\": 9}\n{\"content\": \"Never\"}\n", "tasks", "import", "-");
    assertThat(stops.exit()).isEqualTo(1);
    assertThat(stops.err()).contains("item 1", "run the same import again");
    assertThat(cli.run("tasks", "import", "-").exit()).isEqualTo(1);
    assertThat(cli.runWithInput("{\"title\": \"no content\"}", "tasks", "import", "-").err()).contains("\"content\"");
  }
}
