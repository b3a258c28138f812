package dev.delega.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DedupScoreTest {
  private static DedupScore.Outcome outcome(String gold, String kind, boolean flagged, String top) {
    return new DedupScore.Outcome(new LabelledSet.Query("q", gold, kind), flagged, top, top == null ? null : 0.9);
  }

  @Test
  void aFlaggedParaphraseCountsOnlyWhenItsTopMatchIsTheGoldTask() {
    DedupScore s = new DedupScore();
    s.add(outcome("d1", "paraphrase", true, "d1"));  // found
    s.add(outcome("d2", "paraphrase", true, "d9"));  // flagged, wrong top: a false flag
    s.add(outcome("d3", "paraphrase", false, "d3")); // missed
    s.add(outcome(null, "entity", true, "d1"));      // false flag
    s.add(outcome(null, "entity", false, null));
    s.add(outcome(null, "unrelated", false, null));

    assertThat(s.found()).isEqualTo(1);
    assertThat(s.flagged()).isEqualTo(3);
    assertThat(s.positives()).isEqualTo(3);
    assertThat(s.precision()).isCloseTo(1 / 3.0, within(1e-9));
    assertThat(s.recall()).isCloseTo(1 / 3.0, within(1e-9));
    assertThat(s.f1()).isCloseTo(1 / 3.0, within(1e-9));
    assertThat(s.kinds()).containsExactly(
        java.util.Map.entry("paraphrase", new DedupScore.Kind(3, 2, 1)),
        java.util.Map.entry("entity", new DedupScore.Kind(2, 1, 0)),
        java.util.Map.entry("unrelated", new DedupScore.Kind(1, 0, 0)));
    assertThat(s.kinds().get("entity").flagRate()).isEqualTo(0.5);
    assertThat(s.outcomes()).filteredOn(DedupScore.Outcome::mistake).hasSize(3);
  }

  @Test
  void nothingFlaggedScoresZeroRatherThanDividingByZero() {
    DedupScore s = new DedupScore();
    s.add(outcome("d1", "paraphrase", false, null));
    assertThat(s.precision()).isZero();
    assertThat(s.recall()).isZero();
    assertThat(s.f1()).isZero();
  }

  @Test
  void perfectScores() {
    DedupScore s = new DedupScore();
    s.add(outcome("d1", "paraphrase", true, "d1"));
    s.add(outcome(null, "related", false, null));
    assertThat(s.precision()).isEqualTo(1.0);
    assertThat(s.recall()).isEqualTo(1.0);
    assertThat(s.f1()).isEqualTo(1.0);
  }

  @Test
  void loadsTheLabelledSetFormatAndRejectsBrokenFiles() throws Exception {
    Path dir = Files.createTempDirectory("labelled");
    Files.writeString(dir.resolve("corpus.tsv"), "# comment\nd001\tRenew the TLS certificate\n\nd002\tCheck disk space\n");
    Files.writeString(dir.resolve("queries.tsv"), "Certificate is expiring, renew it\td001\tparaphrase\nBake a cake\t-\tunrelated\n");
    LabelledSet set = LabelledSet.load(dir);
    assertThat(set.corpus()).containsExactly(
        java.util.Map.entry("d001", "Renew the TLS certificate"), java.util.Map.entry("d002", "Check disk space"));
    assertThat(set.queries()).containsExactly(
        new LabelledSet.Query("Certificate is expiring, renew it", "d001", "paraphrase"),
        new LabelledSet.Query("Bake a cake", null, "unrelated"));

    Files.writeString(dir.resolve("queries.tsv"), "Something\td404\tparaphrase\n");
    assertThatThrownBy(() -> LabelledSet.load(dir)).hasMessageContaining("d404");
    Files.writeString(dir.resolve("queries.tsv"), "only one column\n");
    assertThatThrownBy(() -> LabelledSet.load(dir)).hasMessageContaining("queries.tsv:1");
    assertThatThrownBy(() -> LabelledSet.load(dir.resolve("nope"))).hasMessageContaining("corpus.tsv");
  }
}
