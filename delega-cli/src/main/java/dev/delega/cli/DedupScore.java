package dev.delega.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores a duplicate detector on a labelled set, as the {@code dedup-dev} README defines it: a
 * query is flagged when the server says {@code has_duplicates}; a flagged query with a gold task
 * counts as found only when its top match is that task. Precision = found / flagged, recall =
 * found / queries with a gold task, F1 their harmonic mean, plus the flag rate per kind.
 */
final class DedupScore {
  /** One query's outcome. {@code top} is the corpus id of the top match, or null. */
  record Outcome(LabelledSet.Query query, boolean flagged, String top, Double topScore) {
    boolean found() {
      return flagged && query.gold() != null && query.gold().equals(top);
    }

    /** Wrong: a missed or misplaced duplicate, or a flag on a new task. */
    boolean mistake() {
      return query.gold() == null ? flagged : !found();
    }
  }

  /** Counts for one kind. */
  record Kind(int queries, int flagged, int found) {
    double flagRate() {
      return queries == 0 ? 0 : (double) flagged / queries;
    }
  }

  private final List<Outcome> outcomes = new ArrayList<>();

  void add(Outcome outcome) {
    outcomes.add(outcome);
  }

  List<Outcome> outcomes() {
    return List.copyOf(outcomes);
  }

  int found() {
    return (int) outcomes.stream().filter(Outcome::found).count();
  }

  int flagged() {
    return (int) outcomes.stream().filter(Outcome::flagged).count();
  }

  int positives() {
    return (int) outcomes.stream().filter(o -> o.query().gold() != null).count();
  }

  double precision() {
    return flagged() == 0 ? 0 : (double) found() / flagged();
  }

  double recall() {
    return positives() == 0 ? 0 : (double) found() / positives();
  }

  double f1() {
    double p = precision();
    double r = recall();
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }

  /** Per kind, in order of first appearance. */
  Map<String, Kind> kinds() {
    Map<String, Kind> m = new LinkedHashMap<>();
    for (Outcome o : outcomes) {
      Kind k = m.getOrDefault(o.query().kind(), new Kind(0, 0, 0));
      m.put(o.query().kind(), new Kind(k.queries() + 1, k.flagged() + (o.flagged() ? 1 : 0), k.found() + (o.found() ? 1 : 0)));
    }
    return m;
  }
}
