package dev.delega.server.dedup;

/**
 * How close in meaning two single words are, used to tell a synonym ("bill" for "invoice") from a
 * different target ("checkout" for "search") when two texts differ in only a word or two.
 */
interface WordSimilarity {

  /** Similarity in [0, 1] of two different lower-case words; must be symmetric. */
  double similarity(String a, String b);

  /** Without a model nothing but canonical synonyms (already merged by the analyzer) is alike. */
  WordSimilarity NONE = (a, b) -> 0.0;
}
