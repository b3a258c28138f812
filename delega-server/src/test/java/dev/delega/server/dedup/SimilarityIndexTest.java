package dev.delega.server.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SimilarityIndexTest {

  @ParameterizedTest
  @CsvSource({"hybrid, HYBRID", "HYBRID, HYBRID", "Lexical, LEXICAL", "lexical, LEXICAL"})
  void parsesModesIgnoringCase(String text, DedupMode mode) {
    assertThat(DedupMode.parse(text)).isEqualTo(mode);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " hybrid", "semantic", "lexical-only", "embeddings"})
  void rejectsOtherModesNamingTheValue(String text) {
    assertThatThrownBy(() -> DedupMode.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "'");
  }

  @Test
  void rejectsNullMode() {
    assertThatThrownBy(() -> DedupMode.parse(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("null");
  }

  @Test
  void lexicalModeLoadsNoModel() {
    try (SimilarityIndex index = SimilarityIndex.create(DedupMode.LEXICAL)) {
      assertThat(index.mode()).isEqualTo(DedupMode.LEXICAL);
    }
  }

  @Test
  void fallsBackToLexicalWhenTheModelCannotLoad() {
    try (SimilarityIndex index =
        SimilarityIndex.create(
            DedupMode.HYBRID,
            () -> {
              throw new UnsatisfiedLinkError("no onnxruntime for this platform");
            })) {
      assertThat(index.mode()).isEqualTo(DedupMode.LEXICAL);
      index.put(1, "Renew the TLS certificate for api.example.com");
      assertThat(index.search("Renew the TLS certificate for api.example.com", 0.5, 5, id -> true))
          .containsExactly(new DedupMatch(1, 1.0));
    }
    try (SimilarityIndex index =
        SimilarityIndex.create(
            DedupMode.HYBRID,
            () -> {
              throw new IllegalStateException("model file missing");
            })) {
      assertThat(index.mode()).isEqualTo(DedupMode.LEXICAL);
    }
  }

  @Test
  void hybridModeLoadsTheModel() {
    try (SimilarityIndex index = SimilarityIndex.create(DedupMode.HYBRID)) {
      assertThat(index.mode()).isEqualTo(DedupMode.HYBRID);
    }
  }

  @Test
  void putReplacesAndRemoveForgets() {
    try (SimilarityIndex index = SimilarityIndex.create(DedupMode.LEXICAL)) {
      index.put(7, "Rotate the Twilio API key");
      index.put(8, "Refund order #90412 for the missing item");
      assertThat(index.size()).isEqualTo(2);
      assertThat(ids(index.search("Rotate the Twilio API key", 0.5, 5, id -> true)))
          .containsExactly(7L);

      index.put(7, "Plan the hackathon");
      assertThat(index.size()).isEqualTo(2);
      assertThat(index.search("Rotate the Twilio API key", 0.5, 5, id -> true)).isEmpty();
      assertThat(ids(index.search("Plan the hackathon", 0.5, 5, id -> true))).containsExactly(7L);

      index.remove(7);
      index.remove(7);
      index.remove(99);
      assertThat(index.size()).isEqualTo(1);
      assertThat(index.search("Plan the hackathon", 0.0, 5, id -> true)).isEmpty();
    }
  }

  @Test
  void searchRanksBestFirstAndHonoursThresholdLimitAndFilter() {
    try (SimilarityIndex index = SimilarityIndex.create(DedupMode.LEXICAL)) {
      index.put(1, "Check free disk space on build-agent-7");
      index.put(2, "Check free disk space on build-agent-7 and clean the cache");
      index.put(3, "Check free disk space on build-agent-7");
      index.put(4, "Check free disk space on build-agent-8");
      index.put(5, "Write the quarterly newsletter");

      List<DedupMatch> all =
          index.search("Check free disk space on build-agent-7", 0.5, 10, id -> true);
      assertThat(ids(all)).containsExactly(1L, 3L, 2L);
      assertThat(all.get(0).score()).isEqualTo(1.0);
      assertThat(all.get(2).score()).isLessThan(1.0);

      assertThat(ids(index.search("Check free disk space on build-agent-7", 0.5, 1, id -> true)))
          .containsExactly(1L);
      assertThat(
              ids(index.search("Check free disk space on build-agent-7", 0.5, 10, id -> id != 1)))
          .containsExactly(3L, 2L);
      assertThat(index.search("Check free disk space on build-agent-7", 1.01, 10, id -> true))
          .isEmpty();
      assertThat(index.search("Check free disk space on build-agent-7", 0.5, 0, id -> true))
          .isEmpty();
      assertThat(ids(index.search("Check free disk space on build-agent-7", 0.5, 10, null)))
          .containsExactly(1L, 3L, 2L);
    }
  }

  @Test
  void searchScoresEqualPairwiseScores() {
    try (SimilarityIndex index = SimilarityIndex.create(DedupMode.HYBRID)) {
      String task = "Investigate p99 latency spike on the search API";
      String query = "Search API p99 latency spiked, look into it";
      index.put(42, task);
      List<DedupMatch> found = index.search(query, 0.0, 5, id -> true);
      assertThat(found).containsExactly(new DedupMatch(42, index.score(query, task)));
    }
  }

  @Test
  void savingATaskWhoseTextDidNotChangeCostsNoAnalysis() {
    try (SimilarityIndex index = SimilarityIndex.create(DedupMode.LEXICAL)) {
      index.put(1, "check disk usage on prod-db-1");
      index.put(1, "check disk usage on prod-db-1"); // claimed, commented, status changed…
      assertThat(index.analysed()).isEqualTo(1);
      index.put(1, "Check disk usage on prod-db-1"); // a case-only edit is still an edit
      index.put(1, "check disk usage on prod-db-2");
      assertThat(index.analysed()).isEqualTo(3);
      assertThat(index.search("check disk usage on prod-db-2", 0.5, 5, id -> true))
          .extracting(DedupMatch::taskId)
          .containsExactly(1L);
      index.remove(1);
      index.put(1, "check disk usage on prod-db-2");
      assertThat(index.analysed()).as("a removed task is analysed again").isEqualTo(4);
    }
  }

  @Test
  void blankAndOddTextsAreHarmless() {
    try (SimilarityIndex index = SimilarityIndex.create(DedupMode.LEXICAL)) {
      index.put(1, "");
      index.put(2, "   ");
      index.put(3, "!!! ??? ...");
      index.put(4, null);
      assertThat(index.size()).isEqualTo(4);
      assertThat(index.search("", 0.5, 5, id -> true))
          .extracting(DedupMatch::score)
          .containsOnly(1.0);
      assertThat(index.search("the of and", 0.5, 5, id -> true)).isEmpty();
      assertThatThrownBy(() -> index.search("x", Double.NaN, 5, id -> true))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void workPerSearchIsBoundedWhateverTheIndexSize() {
    try (SimilarityIndex index = SimilarityIndex.create(DedupMode.LEXICAL)) {
      int n = 3 * SimilarityIndex.MAX_POSTINGS;
      for (int i = 0; i < n; i++) {
        index.put(i, "Check free disk space on build host " + "h" + i + "x and rotate the logs");
      }
      List<DedupMatch> found =
          index.search(
              "Check free disk space on build host h1234x and rotate the logs", 0.5, 5, id -> true);
      SimilarityIndex.SearchStats stats = index.lastSearchStats();

      assertThat(ids(found)).first().isEqualTo(1234L);
      assertThat(stats.skippedKeys()).isGreaterThan(0); // "disk", "host"… are in every task
      assertThat(stats.visited()).isLessThanOrEqualTo(SimilarityIndex.MAX_VISITS);
      assertThat(stats.scored()).isLessThanOrEqualTo(SimilarityIndex.MAX_CANDIDATES);
    }
  }

  @Test
  void hiddenTasksTakeNoCandidateSlot() {
    try (SimilarityIndex index = SimilarityIndex.create(DedupMode.LEXICAL)) {
      String text = "Rotate the Twilio API key for the SMS gateway";
      for (long id = 1; id <= 3L * SimilarityIndex.MAX_CANDIDATES; id++) {
        index.put(id, text);
      }
      index.put(10_000, text + " today");
      List<DedupMatch> found = index.search(text, 0.5, 5, id -> id == 10_000);
      assertThat(ids(found)).containsExactly(10_000L);
    }
  }

  @Test
  void closeEmptiesTheIndex() {
    SimilarityIndex index = SimilarityIndex.create(DedupMode.LEXICAL);
    index.put(1, "Plan the hackathon");
    index.close();
    assertThat(index.size()).isZero();
  }

  private static List<Long> ids(List<DedupMatch> matches) {
    return matches.stream().map(DedupMatch::taskId).toList();
  }
}
