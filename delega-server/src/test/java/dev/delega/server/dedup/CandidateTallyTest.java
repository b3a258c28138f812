package dev.delega.server.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class CandidateTallyTest {

  @Property(tries = 300)
  void topKMatchesAFullSortOfTheAllowedIds(
      @ForAll @Size(max = 300) List<@IntRange(min = 0, max = 80) Integer> hits,
      @ForAll @IntRange(min = 0, max = 20) int k) {
    CandidateTally tally = new CandidateTally(1_000, id -> id % 7 != 3);
    Map<Long, Double> model = new HashMap<>();
    for (int hit : hits) {
      long id = hit;
      double weight = 1.0 + (hit % 5) * 0.25;
      tally.add(id, weight);
      if (id % 7 != 3) {
        model.merge(id, weight, Double::sum);
      }
    }
    List<Long> expected =
        model.entrySet().stream()
            .sorted(
                Comparator.<Map.Entry<Long, Double>>comparingDouble(Map.Entry::getValue)
                    .reversed()
                    .thenComparing(Map.Entry::getKey))
            .limit(k)
            .map(Map.Entry::getKey)
            .toList();
    assertThat(java.util.Arrays.stream(tally.top(k)).boxed().toList()).isEqualTo(expected);
  }

  @Property(tries = 50)
  void takesNoNewIdsWhenFull(@ForAll @IntRange(min = 1, max = 50) int max) {
    CandidateTally tally = new CandidateTally(max, id -> true);
    Arbitraries.longs().between(0, 1_000).sampleStream().limit(500).forEach(id -> tally.add(id, 1));
    assertThat(tally.size()).isLessThanOrEqualTo(max);
    assertThat(tally.top(1_000)).hasSizeLessThanOrEqualTo(max);
  }
}
