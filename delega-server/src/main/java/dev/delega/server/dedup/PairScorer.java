package dev.delega.server.dedup;

import java.util.List;

/**
 * Scores how likely two task texts describe the same task, in [0, 1].
 *
 * <p>The base score mixes semantic similarity (cosine of sentence embeddings, hybrid mode only)
 * with lexical similarity (weighted overlap of stemmed canonical terms plus character trigrams).
 * Three checks then scale it down, because texts that differ only in their target or direction read
 * almost the same to both measures:
 *
 * <ul>
 *   <li><b>entity conflict</b>: each text names a host, version, number, date, path, amount, name…
 *       of a kind that the other names differently; the tasks are about different things, whatever
 *       the wording ({@link #CONFLICT_FACTOR});
 *   <li><b>substitution</b>: the texts are near copies, word for word, that differ at one place in
 *       one to three content words that are not synonyms ("checkout API" vs "search API"); in
 *       hybrid mode synonymy is judged by word embeddings ({@link #SUBSTITUTION_FACTOR});
 *   <li><b>opposites</b>: one text does the opposite of the other ({@link #OPPOSITE_FACTOR}).
 * </ul>
 *
 * <p>Every step is symmetric in its two arguments, and the score depends on the two texts only,
 * never on what else is indexed.
 */
final class PairScorer {
  /** Share of the semantic similarity in the hybrid base score. */
  static final double SEMANTIC_WEIGHT = 0.6;

  /** Share of term overlap (vs character trigrams) in the lexical similarity. */
  static final double TERM_WEIGHT = 0.75;

  /** Credit for words that only share a prefix ("postgres"/"postgresql", "render"/"renderer"). */
  static final double PREFIX_CREDIT = 0.8;

  /** Multiplier when the texts name different targets of the same kind. */
  static final double CONFLICT_FACTOR = 0.45;

  /** Multiplier when only one text names a specific target (host, version, number…). */
  static final double ONE_SIDED_FACTOR = 0.9;

  /** Multiplier when the texts differ in a non-synonymous word or two. */
  static final double SUBSTITUTION_FACTOR = 0.5;

  /** Multiplier when one text does the opposite of the other (enable/disable, import/export). */
  static final double OPPOSITE_FACTOR = 0.5;

  /**
   * Word-embedding cosine at or above which two differing words count as synonyms. High, because
   * siblings are close too (billing/payments 0.64, monitors/laptops 0.48, sales/support 0.31) while
   * a near copy with one word swapped is more often a different target than a paraphrase; common
   * contrasting pairs (login/signup) are listed in the analyzer.
   */
  static final double SYNONYM_SIMILARITY = 0.6;

  /**
   * How much of the two word sequences (stop words included) their longest common subsequence must
   * cover, as 2·LCS / (|a| + |b|), for the substitution check to apply.
   */
  static final double NEAR_COPY_SHARE = 0.7;

  /** At most this many differing words per side for the substitution check to apply. */
  static final int MAX_SUBSTITUTED = 3;

  /** Texts with more words than this are not checked for substitutions. */
  static final int MAX_ALIGNED = 64;

  /** The parts of a score, for tests and tuning. */
  record Breakdown(
      double lexical,
      double semantic,
      double base,
      double entityFactor,
      double wordingFactor,
      double score) {}

  private final boolean useSemantic;
  private final WordSimilarity words;

  PairScorer(boolean useSemantic, WordSimilarity words) {
    this.useSemantic = useSemantic;
    this.words = words;
  }

  double score(TextProfile a, TextProfile b) {
    return explain(a, b).score();
  }

  Breakdown explain(TextProfile a, TextProfile b) {
    if (a.identity() == b.identity()) {
      return new Breakdown(1, 1, 1, 1, 1, 1);
    }
    double[] creditA = credits(a, b);
    double[] creditB = credits(b, a);
    double lexical = lexical(a, b, creditA, creditB);
    double semantic = 0;
    double base = lexical;
    if (useSemantic && a.vector() != null && b.vector() != null) {
      semantic = Math.max(0.0, a.vector().cosine(b.vector()));
      base = SEMANTIC_WEIGHT * semantic + (1 - SEMANTIC_WEIGHT) * lexical;
    }
    double entityFactor = entityFactor(a, b);
    double wording = substituted(a, b, creditA, creditB) ? SUBSTITUTION_FACTOR : 1.0;
    if (opposed(a, b, creditA, creditB)) {
      wording *= OPPOSITE_FACTOR;
    }
    double score = Math.max(0.0, Math.min(1.0, base * entityFactor * wording));
    return new Breakdown(lexical, semantic, base, entityFactor, wording, score);
  }

  /**
   * For each term of {@code a}: 1 if {@code b} has it, PREFIX_CREDIT for a prefix match, else 0.
   */
  private static double[] credits(TextProfile a, TextProfile b) {
    double[] credit = new double[a.size()];
    for (int i = 0; i < a.size(); i++) {
      String t = a.terms()[i];
      if (b.indexOf(t) >= 0) {
        credit[i] = 1.0;
      } else if (a.entityTerm()[i]) {
        credit[i] = entityTermMatched(a, t, b) ? 1.0 : 0.0;
      } else {
        for (int j = 0; j < b.size(); j++) {
          if (!b.entityTerm()[j] && prefixRelated(t, b.terms()[j])) {
            credit[i] = PREFIX_CREDIT;
            break;
          }
        }
      }
    }
    return credit;
  }

  private static boolean entityTermMatched(TextProfile a, String value, TextProfile b) {
    for (Entity e : a.entities()) {
      if (e.value().equals(value)) {
        for (Entity f : b.entities()) {
          if (e.compatible(f)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  static boolean prefixRelated(String x, String y) {
    String s = x.length() <= y.length() ? x : y;
    String l = x.length() <= y.length() ? y : x;
    if (s.length() < 5) {
      return false;
    }
    if (l.startsWith(s)) {
      return true;
    }
    int common = 0;
    while (common < s.length() && s.charAt(common) == l.charAt(common)) {
      common++;
    }
    return common >= 6;
  }

  private static double lexical(TextProfile a, TextProfile b, double[] creditA, double[] creditB) {
    double matched = 0;
    double total = 0;
    for (int i = 0; i < a.size(); i++) {
      matched += a.weights()[i] * creditA[i];
      total += a.weights()[i];
    }
    double matchedB = 0;
    double totalB = 0;
    for (int i = 0; i < b.size(); i++) {
      matchedB += b.weights()[i] * creditB[i];
      totalB += b.weights()[i];
    }
    double terms = total + totalB == 0 ? 0 : (matched + matchedB) / (total + totalB);
    double grams = dice(a.grams(), b.grams());
    return TERM_WEIGHT * terms + (1 - TERM_WEIGHT) * grams;
  }

  private static double dice(int[] x, int[] y) {
    if (x.length + y.length == 0) {
      return 0;
    }
    int i = 0;
    int j = 0;
    int common = 0;
    while (i < x.length && j < y.length) {
      if (x[i] == y[j]) {
        common++;
        i++;
        j++;
      } else if (x[i] < y[j]) {
        i++;
      } else {
        j++;
      }
    }
    return 2.0 * common / (x.length + y.length);
  }

  /**
   * CONFLICT_FACTOR when, in some entity group, each text names a target the other does not;
   * ONE_SIDED_FACTOR when only one text names a specific (non-name) target; else 1.
   */
  static double entityFactor(TextProfile a, TextProfile b) {
    boolean[] unmatchedA = unmatchedGroups(a, b);
    boolean[] unmatchedB = unmatchedGroups(b, a);
    boolean oneSided = false;
    for (EntityKind.Group g : EntityKind.Group.values()) {
      int k = g.ordinal();
      if (unmatchedA[k] && unmatchedB[k]) {
        return CONFLICT_FACTOR;
      }
      if ((unmatchedA[k] || unmatchedB[k]) && g != EntityKind.Group.NAME) {
        oneSided = true;
      }
    }
    return oneSided ? ONE_SIDED_FACTOR : 1.0;
  }

  private static boolean[] unmatchedGroups(TextProfile a, TextProfile b) {
    boolean[] out = new boolean[EntityKind.Group.values().length];
    for (Entity e : a.entities()) {
      if (!matched(e, b)) {
        out[e.kind().group().ordinal()] = true;
      }
    }
    return out;
  }

  /** Whether {@code b} names the same target, as an entity or (for names, dates) in plain words. */
  private static boolean matched(Entity e, TextProfile b) {
    for (Entity f : b.entities()) {
      if (e.compatible(f)) {
        return true;
      }
    }
    if (!e.kind().wordLike()) {
      return b.indexOf(e.value()) >= 0;
    }
    // "Postgres" in one text and "postgres" (not capitalised, so not a name) in the other.
    String[] parts = e.text().toLowerCase(java.util.Locale.ROOT).split("[^\\p{L}\\p{N}]+");
    int seen = 0;
    for (String p : parts) {
      if (p.isEmpty()) {
        continue;
      }
      String stem = TextAnalyzer.canonicalStem(p);
      boolean found = b.indexOf(stem) >= 0;
      for (int j = 0; !found && j < b.size(); j++) {
        found = !b.entityTerm()[j] && prefixRelated(stem, b.terms()[j]);
      }
      if (!found) {
        return false;
      }
      seen++;
    }
    return seen > 0;
  }

  /**
   * Whether the texts are near copies that differ, at the same place, in one to three
   * non-synonymous words on each side ("add keyboard shortcuts to the editor" vs "… to the file
   * browser"). Whole word sequences, stop words included, are aligned by their longest common
   * subsequence: a reworded paraphrase changes the little words too, a copied template does not.
   * The leading word (usually the verb), generic words and entity values are never counted as
   * substituted: changing the verb rewords the task, and entities have their own check. Checked in
   * both directions so that the answer does not depend on which of several equally long alignments
   * is found.
   */
  private boolean substituted(TextProfile a, TextProfile b, double[] creditA, double[] creditB) {
    String[] x = a.sequence();
    String[] y = b.sequence();
    if (x.length == 0 || y.length == 0 || x.length > MAX_ALIGNED || y.length > MAX_ALIGNED) {
      return false;
    }
    int[][] xy = lcs(a, b);
    if (2.0 * xy[0][0] / (x.length + y.length) < NEAR_COPY_SHARE) {
      return false;
    }
    return gapDiffers(a, creditA, b, creditB, xy) || gapDiffers(b, creditB, a, creditA, lcs(b, a));
  }

  /** Whether a term of one text, absent from the other, is the opposite of one of the other's. */
  private static boolean opposed(TextProfile a, TextProfile b, double[] creditA, double[] creditB) {
    for (int i = 0; i < a.size(); i++) {
      if (creditA[i] > 0 || a.entityTerm()[i]) {
        continue;
      }
      for (int j = 0; j < b.size(); j++) {
        if (creditB[j] == 0
            && !b.entityTerm()[j]
            && TextAnalyzer.opposite(
                a.terms()[i], a.surfaces()[i], b.terms()[j], b.surfaces()[j])) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean same(TextProfile px, int i, TextProfile py, int j) {
    String x = px.sequence()[i];
    String y = py.sequence()[j];
    if (x.equals(y)) {
      return true;
    }
    return px.sequenceTerms()[i] >= 0 && py.sequenceTerms()[j] >= 0 && prefixRelated(x, y);
  }

  /** Suffix table: t[i][j] is the LCS length of the sequences from i and from j. */
  private static int[][] lcs(TextProfile px, TextProfile py) {
    int n = px.sequence().length;
    int m = py.sequence().length;
    int[][] t = new int[n + 1][m + 1];
    for (int i = n - 1; i >= 0; i--) {
      for (int j = m - 1; j >= 0; j--) {
        t[i][j] = same(px, i, py, j) ? t[i + 1][j + 1] + 1 : Math.max(t[i + 1][j], t[i][j + 1]);
      }
    }
    return t;
  }

  private boolean gapDiffers(
      TextProfile px, double[] creditX, TextProfile py, double[] creditY, int[][] t) {
    int n = px.sequence().length;
    int m = py.sequence().length;
    List<String> gapX = new java.util.ArrayList<>();
    List<String> gapY = new java.util.ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < n && j < m) {
      if (same(px, i, py, j) && t[i][j] == t[i + 1][j + 1] + 1) {
        if (differs(gapX, gapY)) {
          return true;
        }
        gapX.clear();
        gapY.clear();
        i++;
        j++;
      } else if (t[i + 1][j] >= t[i][j + 1]) {
        addIfSubstitutable(gapX, px, i++, creditX);
      } else {
        addIfSubstitutable(gapY, py, j++, creditY);
      }
    }
    while (i < n) {
      addIfSubstitutable(gapX, px, i++, creditX);
    }
    while (j < m) {
      addIfSubstitutable(gapY, py, j++, creditY);
    }
    return differs(gapX, gapY);
  }

  /**
   * Content words only: not stop words, not the lead, not generic words, not entities, and not
   * words the other text has elsewhere (those were moved, not replaced).
   */
  private static void addIfSubstitutable(
      List<String> gap, TextProfile p, int position, double[] credit) {
    int term = p.sequenceTerms()[position];
    if (term < 0 || (term == 0 && p.lead()) || p.entityTerm()[term]) {
      return;
    }
    if (credit[term] == 0 && p.weights()[term] >= TextAnalyzer.WORD_WEIGHT) {
      gap.add(p.surfaces()[term]);
    }
  }

  private boolean differs(List<String> gapX, List<String> gapY) {
    return !gapX.isEmpty()
        && !gapY.isEmpty()
        && gapX.size() <= MAX_SUBSTITUTED
        && gapY.size() <= MAX_SUBSTITUTED
        && hasUnmatchedWord(gapX, gapY)
        && hasUnmatchedWord(gapY, gapX);
  }

  private boolean hasUnmatchedWord(List<String> these, List<String> others) {
    for (String x : these) {
      double best = 0;
      for (String y : others) {
        best = Math.max(best, words.similarity(x, y));
      }
      if (best < SYNONYM_SIMILARITY) {
        return true;
      }
    }
    return false;
  }
}
