package dev.delega.server.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

class ScorePropertiesTest {
  private static SimilarityIndex hybrid;
  private static SimilarityIndex lexical;

  @BeforeContainer
  static void load() {
    hybrid = SimilarityIndex.create(DedupMode.HYBRID);
    lexical = SimilarityIndex.create(DedupMode.LEXICAL);
  }

  @AfterContainer
  static void close() {
    hybrid.close();
    lexical.close();
  }

  private static final List<String> WORDS =
      List.of(
          "fix",
          "renew",
          "check",
          "the",
          "disk",
          "usage",
          "on",
          "for",
          "certificate",
          "deploy",
          "gateway",
          "to",
          "production",
          "staging",
          "refund",
          "order",
          "invoice",
          "Kafka",
          "Postgres",
          "login",
          "button",
          "broken",
          "nightly",
          "weekly",
          "March",
          "April",
          "team",
          "sales",
          "data",
          "editor",
          "enable",
          "disable",
          "import",
          "export",
          "stale",
          "old",
          "images",
          "does",
          "not",
          "work",
          "roll",
          "back",
          "Alice",
          "Bob",
          "\"Done\"",
          "set",
          "up");
  private static final List<String> TARGETS =
      List.of(
          "api.example.com",
          "www.example.com",
          "prod-db-1",
          "prod-db-2",
          "v3.7",
          "3.8.1",
          "#1234",
          "1235",
          "2026-03",
          "2026-04-01",
          "/var/log",
          "/var/lib",
          "$40",
          "$400",
          "10.0.0.1",
          "test_refund_full_amount",
          "events.user_id",
          "JIRA-42",
          "20%",
          "30 days");

  /** Task-like texts: words and targets, often sharing vocabulary so that paths meet. */
  @Provide
  Arbitrary<String> taskTexts() {
    Arbitrary<String> token =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(4, Arbitraries.of(WORDS)),
            net.jqwik.api.Tuple.of(1, Arbitraries.of(TARGETS)));
    return token.list().ofMinSize(1).ofMaxSize(12).map(ws -> String.join(" ", ws));
  }

  /** Pairs where the second is the first with one token replaced: near copies. */
  @Provide
  Arbitrary<List<String>> nearCopies() {
    return Combinators.combine(
            taskTexts(),
            Arbitraries.integers().between(0, 20),
            Arbitraries.of(WORDS).injectDuplicates(0.1))
        .as(
            (text, at, word) -> {
              String[] ws = text.split(" ");
              ws[at % ws.length] = word;
              return List.of(text, String.join(" ", ws));
            });
  }

  @Property(tries = 50)
  void aTextIsADuplicateOfItselfWithTheMaximumScore(@ForAll("taskTexts") String text) {
    assertThat(hybrid.score(text, text)).isEqualTo(1.0);
    assertThat(lexical.score(text, text)).isEqualTo(1.0);
  }

  @Property(tries = 300)
  void anyTextScoresItselfAtOne(@ForAll String text) {
    assertThat(lexical.score(text, text)).isEqualTo(1.0);
  }

  @Property(tries = 50)
  void scoresAreSymmetric(@ForAll("taskTexts") String a, @ForAll("taskTexts") String b) {
    assertThat(hybrid.score(a, b)).isEqualTo(hybrid.score(b, a));
    assertThat(lexical.score(a, b)).isEqualTo(lexical.score(b, a));
  }

  @Property(tries = 50)
  void nearCopiesScoreSymmetricallyWithinBounds(@ForAll("nearCopies") List<String> pair) {
    double ab = hybrid.score(pair.get(0), pair.get(1));
    assertThat(ab).isEqualTo(hybrid.score(pair.get(1), pair.get(0))).isBetween(0.0, 1.0);
    double lab = lexical.score(pair.get(0), pair.get(1));
    assertThat(lab).isEqualTo(lexical.score(pair.get(1), pair.get(0))).isBetween(0.0, 1.0);
  }

  @Property(tries = 30)
  void addingAnUnrelatedTextNeverRaisesAnotherCandidatesScore(
      @ForAll("taskTexts") String query,
      @ForAll("taskTexts") String first,
      @ForAll("taskTexts") String second,
      @ForAll("taskTexts") String unrelated) {
    for (SimilarityIndex index : List.of(hybrid, lexical)) {
      for (long id = 1; id <= 3; id++) {
        index.remove(id);
      }
      index.put(1, first);
      index.put(2, second);
      Map<Long, Double> before = scores(index.search(query, 0.0, 10, id -> true));
      index.put(3, unrelated);
      Map<Long, Double> after = scores(index.search(query, 0.0, 10, id -> true));
      for (Map.Entry<Long, Double> e : after.entrySet()) {
        if (e.getKey() != 3L) {
          assertThat(before).containsKey(e.getKey());
          assertThat(e.getValue()).isLessThanOrEqualTo(before.get(e.getKey()));
        }
      }
    }
  }

  private static Map<Long, Double> scores(List<DedupMatch> matches) {
    Map<Long, Double> out = new HashMap<>();
    matches.forEach(m -> out.put(m.taskId(), m.score()));
    return out;
  }
}
