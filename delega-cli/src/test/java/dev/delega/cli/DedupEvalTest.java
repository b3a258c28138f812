package dev.delega.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.server.testing.DelegaServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

class DedupEvalTest {
  @RegisterExtension final DelegaServerExtension server = new DelegaServerExtension();

  private static Path set;

  @BeforeAll
  static void writeSet() throws Exception {
    set = Files.createTempDirectory("dedup-set");
    Files.writeString(set.resolve("corpus.tsv"), """
        c1\tRenew the TLS certificate for mail.acme.io
        c2\tCheck free disk space on build-agent-7
        c3\tUpgrade Kafka on the events cluster to 3.7
        """);
    Files.writeString(set.resolve("queries.tsv"), """
        Renew the TLS certificate for mail.acme.io\tc1\tparaphrase
        Check free disk space on build-agent-7\tc2\tparaphrase
        Bake a chocolate cake for the offsite\t-\tunrelated
        """);
  }

  @Test
  void scoresALabelledSetOnATemporaryServer() {
    JsonNode r = new Cli().json("dedup-eval", set.toString(), "--dedup-mode", "lexical");
    assertThat(r.path("server").asString()).isEqualTo("in-process");
    assertThat(r.path("dedup_mode").asString()).isEqualTo("lexical");
    assertThat(r.path("corpus").asInt()).isEqualTo(3);
    assertThat(r.path("queries").asInt()).isEqualTo(3);
    assertThat(r.path("kinds").path("paraphrase").path("found").asInt()).isEqualTo(2);
    assertThat(r.path("kinds").path("unrelated").path("flagged").asInt()).isZero();
    assertThat(r.path("precision").asDouble()).isEqualTo(1.0);
    assertThat(r.path("recall").asDouble()).isEqualTo(1.0);
    assertThat(r.path("f1").asDouble()).isEqualTo(1.0);
    assertThat(r.path("mistakes")).isEmpty();
  }

  @Test
  void usesAnExistingEmptyServerAndRefusesOneWithTasks() {
    Cli cli = new Cli();
    JsonNode r = cli.json("--api-url", server.rootUrl(), "dedup-eval", set.toString(), "--threshold", "0.5");
    assertThat(r.path("server").asString()).isEqualTo(server.rootUrl());
    assertThat(r.path("threshold").asDouble()).isEqualTo(0.5);
    assertThat(r.path("kinds").path("paraphrase").path("queries").asInt()).isEqualTo(2);

    Cli.Result again = cli.run("--api-url", server.rootUrl(), "dedup-eval", set.toString());
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("already");
  }

  @Test
  void printsATableForHumans() {
    Cli.Result r = new Cli().run("dedup-eval", set.toString(), "--dedup-mode", "lexical", "--details");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).contains("Precision:", "Recall:", "F1:", "KIND", "paraphrase", "unrelated", "Mistakes");
    assertThat(new Cli().run("dedup-eval", set.resolve("missing").toString()).exit()).isEqualTo(1);
  }
}
