package dev.delega.server.dedup;

import java.util.Locale;

/** How duplicate candidates are scored: with the local embedding model, or on words alone. */
public enum DedupMode {
  /** Lexical similarity, entity check and the in-process MiniLM embedding model (the default). */
  HYBRID,
  /** Lexical similarity and entity check only; no model is loaded. */
  LEXICAL;

  /**
   * Parses {@code hybrid} or {@code lexical}, ignoring case.
   *
   * @throws IllegalArgumentException naming the value when it is anything else, null included
   */
  public static DedupMode parse(String s) {
    if (s != null) {
      switch (s.toLowerCase(Locale.ROOT)) {
        case "hybrid" -> {
          return HYBRID;
        }
        case "lexical" -> {
          return LEXICAL;
        }
        default -> {
          // fall through to the error
        }
      }
    }
    throw new IllegalArgumentException(
        "DELEGA_DEDUP_MODE must be 'hybrid' or 'lexical', not '" + s + "'");
  }
}
