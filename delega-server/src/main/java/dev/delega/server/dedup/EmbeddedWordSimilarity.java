package dev.delega.server.dedup;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Word similarity as the cosine of the words' embeddings, with the embeddings cached by word (words
 * repeat across tasks) in a map that is emptied when it grows past its bound.
 */
final class EmbeddedWordSimilarity implements WordSimilarity {
  private static final int MAX_WORDS = 4096;
  private final Embedder embedder;
  private final Map<String, QuantizedVector> cache = new ConcurrentHashMap<>();

  EmbeddedWordSimilarity(Embedder embedder) {
    this.embedder = embedder;
  }

  @Override
  public double similarity(String a, String b) {
    return Math.max(0.0, vector(a).cosine(vector(b)));
  }

  private QuantizedVector vector(String word) {
    QuantizedVector v = cache.get(word);
    if (v == null) {
      v = QuantizedVector.of(embedder.embed(word));
      if (cache.size() >= MAX_WORDS) {
        cache.clear();
      }
      cache.put(word, v);
    }
    return v;
  }
}
