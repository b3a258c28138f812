package dev.delega.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A labelled duplicate-detection set in the {@code dedup-dev} format: {@code corpus.tsv} ({@code
 * id<TAB>text}, the open tasks) and {@code queries.tsv} ({@code text<TAB>gold<TAB>kind}, where gold
 * is a corpus id or {@code -}). Blank lines and lines starting with {@code #} are skipped.
 *
 * @param corpus the corpus texts by id, in file order
 * @param queries the queries, in file order
 */
record LabelledSet(Map<String, String> corpus, List<Query> queries) {

  /** One query: the text an agent tries to create, the corpus id it duplicates (or null), its kind. */
  record Query(String text, String gold, String kind) {}

  static LabelledSet load(Path dir) throws IOException {
    Path corpusFile = dir.resolve("corpus.tsv");
    Path queryFile = dir.resolve("queries.tsv");
    if (!Files.isRegularFile(corpusFile) || !Files.isRegularFile(queryFile)) {
      throw new CliException(dir + " must hold corpus.tsv and queries.tsv (see /work/shared/data/dedup-dev/README.md)");
    }
    Map<String, String> corpus = new LinkedHashMap<>();
    int n = 0;
    for (String line : Files.readAllLines(corpusFile, StandardCharsets.UTF_8)) {
      n++;
      if (skip(line)) {
        continue;
      }
      String[] f = line.split("\t", -1);
      if (f.length < 2 || f[0].isBlank() || f[1].isBlank()) {
        throw new CliException(corpusFile + ":" + n + ": expected id<TAB>text");
      }
      if (corpus.put(f[0].strip(), f[1].strip()) != null) {
        throw new CliException(corpusFile + ":" + n + ": duplicate id " + f[0].strip());
      }
    }
    List<Query> queries = new ArrayList<>();
    n = 0;
    for (String line : Files.readAllLines(queryFile, StandardCharsets.UTF_8)) {
      n++;
      if (skip(line)) {
        continue;
      }
      String[] f = line.split("\t", -1);
      if (f.length < 3 || f[0].isBlank() || f[2].isBlank()) {
        throw new CliException(queryFile + ":" + n + ": expected text<TAB>gold<TAB>kind");
      }
      String gold = f[1].strip();
      if (gold.equals("-") || gold.isEmpty()) {
        gold = null;
      } else if (!corpus.containsKey(gold)) {
        throw new CliException(queryFile + ":" + n + ": gold id " + gold + " is not in corpus.tsv");
      }
      queries.add(new Query(f[0].strip(), gold, f[2].strip()));
    }
    if (corpus.isEmpty() || queries.isEmpty()) {
      throw new CliException(dir + ": the corpus and the queries must not be empty");
    }
    return new LabelledSet(corpus, List.copyOf(queries));
  }

  private static boolean skip(String line) {
    return line.isBlank() || line.startsWith("#");
  }
}
