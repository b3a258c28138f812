package dev.delega.server.dedup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The labelled duplicate-detection dev set ({@code shared/data/dedup-dev}) and its metrics, as its
 * README defines them.
 *
 * @param corpus open tasks
 * @param queries new texts with the task they duplicate, if any
 */
record DevSet(List<Task> corpus, List<Query> queries) {

  /** An open task of the corpus. */
  record Task(long id, String label, String text) {}

  /** What a query is, per the README. */
  enum Kind {
    PARAPHRASE,
    ENTITY,
    RELATED,
    UNRELATED
  }

  /** A text an agent tries to create; gold is the duplicated task's label or null. */
  record Query(String text, String gold, Kind kind) {}

  /** Precision, recall and F1 over the queries, and the share of each kind that was flagged. */
  record Metrics(
      double precision, double recall, double f1, Map<Kind, Double> flagRate, List<String> errors) {
    String summary() {
      StringBuilder sb =
          new StringBuilder(
              String.format(Locale.ROOT, "P=%.3f R=%.3f F1=%.3f flags:", precision, recall, f1));
      flagRate.forEach((k, v) -> sb.append(String.format(Locale.ROOT, " %s=%.2f", k, v)));
      return sb.toString();
    }
  }

  /** Looks for shared/data/dedup-dev from the working directory upwards; DEDUP_DEV_DIR wins. */
  static Optional<Path> locate() {
    String env = System.getenv("DEDUP_DEV_DIR");
    if (env != null && Files.isDirectory(Path.of(env))) {
      return Optional.of(Path.of(env));
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared/data/dedup-dev");
      if (Files.isRegularFile(candidate.resolve("corpus.tsv"))) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  static DevSet load(Path dir) {
    try {
      return parse(
          Files.readString(dir.resolve("corpus.tsv")),
          Files.readString(dir.resolve("queries.tsv")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads the two TSV formats of the README from strings. */
  static DevSet parse(String corpusTsv, String queriesTsv) {
    List<Task> corpus = new ArrayList<>();
    long next = 1;
    for (String line : corpusTsv.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      corpus.add(new Task(next++, f[0].strip(), f[1].strip()));
    }
    List<Query> queries = new ArrayList<>();
    for (String line : queriesTsv.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      String gold = f[1].strip().equals("-") ? null : f[1].strip();
      queries.add(
          new Query(f[0].strip(), gold, Kind.valueOf(f[2].strip().toUpperCase(Locale.ROOT))));
    }
    return new DevSet(List.copyOf(corpus), List.copyOf(queries));
  }

  void loadInto(SimilarityIndex index) {
    for (Task t : corpus) {
      index.put(t.id(), t.text());
    }
  }

  /** Runs every query against an index that holds the corpus. */
  Metrics evaluate(SimilarityIndex index, double threshold) {
    int tp = 0;
    int fp = 0;
    int fn = 0;
    Map<Kind, int[]> flags = new EnumMap<>(Kind.class);
    List<String> errors = new ArrayList<>();
    for (Query q : queries) {
      List<DedupMatch> matches = index.search(q.text(), threshold, 5, id -> true);
      boolean flagged = !matches.isEmpty();
      int[] c = flags.computeIfAbsent(q.kind(), k -> new int[2]);
      c[1]++;
      if (flagged) {
        c[0]++;
      }
      String top = flagged ? label(matches.get(0).taskId()) : "-";
      if (q.gold() != null) {
        if (flagged && q.gold().equals(top)) {
          tp++;
        } else {
          fn++;
          if (flagged) {
            fp++;
          }
          errors.add("missed " + q.gold() + " (" + describe(matches) + "): " + q.text());
        }
      } else if (flagged) {
        fp++;
        errors.add("false flag " + q.kind() + " " + describe(matches) + ": " + q.text());
      }
    }
    double precision = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
    double recall = tp + fn == 0 ? 0 : (double) tp / (tp + fn);
    double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    Map<Kind, Double> rates = new EnumMap<>(Kind.class);
    flags.forEach((k, c) -> rates.put(k, (double) c[0] / c[1]));
    return new Metrics(precision, recall, f1, rates, errors);
  }

  private String describe(List<DedupMatch> matches) {
    StringBuilder sb = new StringBuilder();
    for (DedupMatch m : matches) {
      sb.append(label(m.taskId())).append('=').append(m.score()).append(' ');
    }
    return sb.toString().strip();
  }

  String label(long id) {
    return corpus.get((int) id - 1).label();
  }

  String text(String label) {
    return corpus.stream().filter(t -> t.label().equals(label)).findFirst().orElseThrow().text();
  }
}
