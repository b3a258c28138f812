package dev.delega.server.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The targets on the labelled dev set (shared/data/dedup-dev): F1 at least 0.90 and at most 10% of
 * the {@code entity} queries flagged in hybrid mode, at the default threshold. Prints the numbers
 * for both modes.
 */
class DevSetTest {

  @Test
  void meetsTheTargetsInHybridModeAndReportsBothModes() {
    Optional<Path> dir = DevSet.locate();
    assumeTrue(dir.isPresent(), "shared/data/dedup-dev not found above the working directory");
    DevSet dev = DevSet.load(dir.get());

    DevSet.Metrics lexical;
    try (SimilarityIndex index = SimilarityIndex.create(DedupMode.LEXICAL)) {
      dev.loadInto(index);
      lexical = dev.evaluate(index, SimilarityIndex.DEFAULT_THRESHOLD);
    }
    DevSet.Metrics hybrid;
    try (SimilarityIndex index = SimilarityIndex.create(DedupMode.HYBRID)) {
      assertThat(index.mode()).as("the embedding model must load").isEqualTo(DedupMode.HYBRID);
      dev.loadInto(index);
      hybrid = dev.evaluate(index, SimilarityIndex.DEFAULT_THRESHOLD);
    }
    System.out.printf(
        "dedup dev set at threshold %.2f%n  hybrid:  %s%n  lexical: %s%n",
        SimilarityIndex.DEFAULT_THRESHOLD, hybrid.summary(), lexical.summary());
    hybrid.errors().forEach(e -> System.out.println("  hybrid " + e));
    lexical.errors().forEach(e -> System.out.println("  lexical " + e));

    assertThat(hybrid.f1()).as(hybrid.summary()).isGreaterThanOrEqualTo(0.90);
    assertThat(hybrid.flagRate().get(DevSet.Kind.ENTITY))
        .as(hybrid.summary())
        .isLessThanOrEqualTo(0.10);
  }
}
