package dev.delega.server.dedup;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongPredicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-memory index of open task texts that finds the ones a new text probably duplicates.
 *
 * <p><b>Design.</b> {@link #put} analyses a text once (entities, stemmed canonical terms, character
 * trigrams and, in hybrid mode, one embedding) and adds the task to an inverted index keyed by its
 * terms, entity values, five-letter word prefixes, its exact normalised text and ten random-
 * hyperplane LSH buckets of its embedding. {@link #search} analyses the query the same way (one
 * embedding), walks the posting lists from the rarest key up, skipping keys held by more than
 * {@value #MAX_POSTINGS} tasks and stopping after {@value #MAX_VISITS} postings, keeps the {@value
 * #MAX_CANDIDATES} tasks with the highest IDF-weighted key overlap, and scores only those with
 * {@link PairScorer}. The work per search is therefore bounded by constants, not by the number of
 * indexed tasks. Scores depend on the two texts alone, so {@link #score} gives the same number as a
 * search.
 *
 * <p><b>Memory per indexed task</b> (heap growth measured over 100k synthetic task titles of 4–12
 * words, 64-bit JVM with compressed oops): about 2.1 KB in hybrid mode and 1.5 KB in lexical mode.
 * Of that, the embedding is 0.4 KB (384 signed bytes, its norm, headers; a float[384] would be 1.5
 * KB), its ten LSH posting entries about 0.2 KB, the analysed profile (terms, surfaces, weights,
 * trigram hashes, word sequence, entities) about 1.1 KB, and the term postings about 0.4 KB. The
 * raw text is not kept. In the running server ({@code DedupBench}, heap after GC with 1k against
 * 100k open tasks, titles of 5–14 words; {@code benchmarks/results/dedup.md}) the whole server
 * grows by 2.0 KB per open task in hybrid mode and 1.4 KB in lexical mode, about 0.1 KB of it
 * {@link DedupService}'s per-task visibility record.
 *
 * <p><b>Thread-safety.</b> Analysis and embedding run outside any lock; the index itself is guarded
 * by a read-write lock, so searches run concurrently with each other and exclude writers only while
 * they read the postings and score.
 */
public final class SimilarityIndex implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SimilarityIndex.class);

  /**
   * The default score at or above which a task counts as a duplicate. Chosen on the labelled dev
   * set (F1 and entity false flags, see package-info) in the middle of the plateau where both hold,
   * rather than at its edge.
   */
  public static final double DEFAULT_THRESHOLD = 0.55;

  /** Keys held by more tasks than this are too common to select candidates and are skipped. */
  static final int MAX_POSTINGS = 1_000;

  /** At most this many postings are read per search. */
  static final int MAX_VISITS = 12_000;

  /** At most this many of the best-overlapping tasks are scored per search. */
  static final int MAX_CANDIDATES = 64;

  private static final int LSH_TABLES = 10;
  private static final int LSH_BITS = 8;
  private static final int PREFIX_LENGTH = 5;

  private final DedupMode mode;
  private final Embedder embedder;
  private final TextAnalyzer analyzer = new TextAnalyzer();
  private final PairScorer scorer;
  private final float[][] hyperplanes;

  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<Long, TextProfile> tasks = new HashMap<>();
  private final java.util.concurrent.atomic.AtomicLong analysed = new java.util.concurrent.atomic.AtomicLong();
  private final Map<String, Postings> postings = new HashMap<>();

  /** A key's posting list; the key string is shared with every profile that has it. */
  private record Postings(String key, LongSet ids) {}

  /** What the last search did, for tests of the candidate bound. */
  record SearchStats(int keys, int skippedKeys, int visited, int candidates, int scored) {}

  private volatile SearchStats lastStats = new SearchStats(0, 0, 0, 0, 0);

  SimilarityIndex(Embedder embedder) {
    this.embedder = embedder;
    this.mode = embedder == null ? DedupMode.LEXICAL : DedupMode.HYBRID;
    this.scorer =
        new PairScorer(
            embedder != null,
            embedder == null ? WordSimilarity.NONE : new EmbeddedWordSimilarity(embedder));
    this.hyperplanes = embedder == null ? new float[0][] : hyperplanes(LSH_TABLES * LSH_BITS, 384);
  }

  /**
   * Creates an empty index. For {@link DedupMode#HYBRID} this loads the embedding model once; if it
   * cannot be loaded the index logs a warning and runs in {@link DedupMode#LEXICAL} mode, which
   * {@link #mode()} then reports.
   */
  public static SimilarityIndex create(DedupMode mode) {
    return create(mode, MiniLmEmbedder::new);
  }

  /** As {@link #create(DedupMode)}, with the model loader given (tests pass one that fails). */
  static SimilarityIndex create(DedupMode mode, Supplier<Embedder> loader) {
    Objects.requireNonNull(mode, "mode");
    if (mode == DedupMode.LEXICAL) {
      return new SimilarityIndex(null);
    }
    try {
      Embedder embedder = loader.get();
      embedder.embed("warm up");
      return new SimilarityIndex(embedder);
    } catch (RuntimeException | LinkageError e) {
      LOG.warn(
          "Duplicate detection: the embedding model could not be loaded ({}); using lexical mode",
          e.toString());
      return new SimilarityIndex(null);
    }
  }

  /** The mode in effect: {@link DedupMode#LEXICAL} after a fallback. */
  public DedupMode mode() {
    return mode;
  }

  /** Indexes the text of a task, replacing any text it had. */
  public void put(long taskId, String text) {
    long source = fingerprint(text);
    lock.readLock().lock();
    try {
      TextProfile held = tasks.get(taskId);
      if (held != null && held.source() == source) {
        return; // saved without a change to its text: a claim, a status, a comment
      }
    } finally {
      lock.readLock().unlock();
    }
    analysed.incrementAndGet();
    TextProfile profile = profile(text);
    lock.writeLock().lock();
    try {
      TextProfile old = tasks.remove(taskId);
      if (old != null) {
        unindex(taskId, old);
      }
      tasks.put(taskId, index(taskId, profile, source));
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** The exact text's {@link TextAnalyzer#fnv1a} hash, never 0 (0 marks a profile not yet indexed). */
  static long fingerprint(String text) {
    if (text == null) {
      return 1;
    }
    long h = TextAnalyzer.fnv1a(text);
    return h == 0 ? 1 : h;
  }

  /** Forgets a task; nothing happens if it is not indexed. */
  public void remove(long taskId) {
    lock.writeLock().lock();
    try {
      TextProfile old = tasks.remove(taskId);
      if (old != null) {
        unindex(taskId, old);
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** How many task texts {@link #put} analysed (and, in hybrid mode, embedded) so far. */
  long analysed() {
    return analysed.get();
  }

  /** The number of indexed tasks. */
  public int size() {
    lock.readLock().lock();
    try {
      return tasks.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * The indexed tasks whose score against {@code text} is at least {@code threshold}, best first
   * (ties by smaller id), at most {@code limit}, only ids that {@code allowed} accepts (null: all).
   * Rejected ids are dropped while candidates are gathered, so they take no candidate slot. Only
   * the bounded candidate set is scored, so a task that shares no uncommon term, name or embedding
   * bucket with the text is not returned even at threshold 0.
   */
  public List<DedupMatch> search(String text, double threshold, int limit, LongPredicate allowed) {
    if (Double.isNaN(threshold)) {
      throw new IllegalArgumentException("threshold must be a number, not NaN");
    }
    if (limit <= 0) {
      return List.of();
    }
    TextProfile query = profile(text);
    List<String> keys = keys(query);
    LongPredicate filter = allowed == null ? id -> true : allowed;
    List<DedupMatch> out = new ArrayList<>();
    lock.readLock().lock();
    try {
      int total = tasks.size();
      List<Postings> lists = new ArrayList<>(keys.size());
      int skipped = 0;
      for (String key : keys) {
        Postings p = postings.get(key);
        if (p == null) {
          continue;
        }
        if (p.ids().size() > MAX_POSTINGS) {
          skipped++;
        } else {
          lists.add(p);
        }
      }
      lists.sort((x, y) -> Integer.compare(x.ids().size(), y.ids().size()));
      CandidateTally tally = new CandidateTally(MAX_CANDIDATES * 32, filter);
      int[] visited = {0};
      for (Postings p : lists) {
        int df = p.ids().size();
        if (visited[0] + df > MAX_VISITS) {
          break;
        }
        double weight = keyWeight(p.key()) * Math.log(1.0 + (double) total / df);
        p.ids().forEach(id -> tally.add(id, weight));
        visited[0] += df;
      }
      long[] candidates = tally.top(MAX_CANDIDATES);
      int scored = 0;
      for (long id : candidates) {
        scored++;
        double s = round(scorer.score(query, tasks.get(id)));
        if (s >= threshold) {
          out.add(new DedupMatch(id, s));
        }
      }
      lastStats = new SearchStats(keys.size(), skipped, visited[0], tally.size(), scored);
    } finally {
      lock.readLock().unlock();
    }
    out.sort(
        (x, y) -> {
          int c = Double.compare(y.score(), x.score());
          return c != 0 ? c : Long.compare(x.taskId(), y.taskId());
        });
    return out.size() > limit ? List.copyOf(out.subList(0, limit)) : List.copyOf(out);
  }

  /** The score of two texts with the scorer searches use, rounded to 3 decimals; symmetric. */
  public double score(String a, String b) {
    return round(scorer.score(profile(a), profile(b)));
  }

  /** The parts of a score, for tests and tuning. */
  PairScorer.Breakdown explain(String a, String b) {
    return scorer.explain(profile(a), profile(b));
  }

  SearchStats lastSearchStats() {
    return lastStats;
  }

  /** Releases the index; the shared model stays loaded for the JVM (it is loaded once). */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      tasks.clear();
      postings.clear();
    } finally {
      lock.writeLock().unlock();
    }
  }

  private TextProfile profile(String text) {
    String normalized = TextAnalyzer.normalize(text);
    QuantizedVector vector = null;
    if (embedder != null) {
      try {
        vector = QuantizedVector.of(embedder.embed(normalized));
      } catch (RuntimeException e) {
        LOG.warn(
            "Duplicate detection: embedding failed ({}); scoring this text lexically",
            e.toString());
      }
    }
    return analyzer.analyze(normalized, vector);
  }

  /** Adds the profile's keys; returns the profile with its terms shared with the posting keys. */
  private TextProfile index(long taskId, TextProfile profile, long source) {
    String[] terms = profile.terms().clone();
    for (String key : keys(profile)) {
      Postings p = postings.computeIfAbsent(key, k -> new Postings(k, new LongSet()));
      p.ids().add(taskId);
      int at = profile.indexOf(key);
      if (at >= 0) {
        terms[at] = p.key();
      }
    }
    return new TextProfile(
        profile.identity(),
        terms,
        profile.surfaces(),
        profile.weights(),
        profile.entityTerm(),
        profile.lead(),
        profile.grams(),
        profile.entities(),
        shared(profile.sequence(), profile.terms(), terms, profile.sequenceTerms()),
        profile.sequenceTerms(),
        profile.vector(),
        source);
  }

  private static String[] shared(String[] sequence, String[] before, String[] after, int[] map) {
    String[] out = sequence.clone();
    for (int i = 0; i < out.length; i++) {
      if (map[i] >= 0 && out[i].equals(before[map[i]])) {
        out[i] = after[map[i]];
      }
    }
    return out;
  }

  private void unindex(long taskId, TextProfile profile) {
    for (String key : keys(profile)) {
      Postings p = postings.get(key);
      if (p != null) {
        p.ids().remove(taskId);
        if (p.ids().size() == 0) {
          postings.remove(key);
        }
      }
    }
  }

  /**
   * The keys a text is found under: its terms, five-letter prefixes of longer words (so "postgres"
   * finds "postgresql"), its exact normalised text, and LSH buckets of its embedding.
   */
  private List<String> keys(TextProfile p) {
    Set<String> keys = new LinkedHashSet<>();
    keys.add("\0=" + Long.toHexString(p.identity()));
    for (int i = 0; i < p.size(); i++) {
      String t = p.terms()[i];
      keys.add(t);
      if (!p.entityTerm()[i] && t.length() > PREFIX_LENGTH) {
        keys.add("\0~" + t.substring(0, PREFIX_LENGTH));
      }
    }
    if (p.vector() != null && hyperplanes.length > 0) {
      byte[] v = p.vector().values();
      for (int table = 0; table < LSH_TABLES; table++) {
        int bits = 0;
        for (int b = 0; b < LSH_BITS; b++) {
          float[] plane = hyperplanes[table * LSH_BITS + b];
          double dot = 0;
          for (int d = 0; d < v.length && d < plane.length; d++) {
            dot += v[d] * plane[d];
          }
          bits = (bits << 1) | (dot >= 0 ? 1 : 0);
        }
        keys.add("\0#" + table + ":" + bits);
      }
    }
    return new ArrayList<>(keys);
  }

  private static double keyWeight(String key) {
    if (key.isEmpty() || key.charAt(0) != '\0') {
      return 1.0;
    }
    return switch (key.charAt(1)) {
      case '=' -> 4.0;
      case '#' -> 0.3;
      case '~' -> 0.5;
      default -> 1.0;
    };
  }

  private static float[][] hyperplanes(int count, int dimensions) {
    Random random = new Random(0x5EED_0DED_DA7AL);
    float[][] planes = new float[count][dimensions];
    for (float[] plane : planes) {
      for (int d = 0; d < dimensions; d++) {
        plane[d] = (float) random.nextGaussian();
      }
    }
    return planes;
  }

  static double round(double score) {
    return Math.round(score * 1000.0) / 1000.0;
  }
}
