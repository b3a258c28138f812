package dev.delega.server.dedup;

import java.util.List;

/**
 * Everything the scorer needs to know about one text, computed once: its weighted terms, character
 * trigrams, entities and (in hybrid mode) its quantized embedding.
 *
 * @param identity 64-bit hash of the case- and space-normalised text, for exact repeats
 * @param terms distinct terms: stemmed canonical words and entity values, in text order
 * @param surfaces the lower-case word each term came from, for word-level similarity
 * @param weights how much each term counts (generic verbs count half, entity values more)
 * @param entityTerm whether each term is an entity value rather than a word
 * @param lead whether the first term is the text's leading word (usually its verb)
 * @param grams sorted distinct hashes of the character trigrams of the words
 * @param entities the targets the text names
 * @param sequence every word in text order: terms for content words and entities, the word itself
 *     for stop words
 * @param sequenceTerms for each sequence position, the index of its term, or -1 for a stop word
 * @param vector the quantized embedding, or null in lexical mode
 * @param source 64-bit hash of the exact text analysed (0 until indexed), so saving a task whose
 *     text did not change costs no analysis
 */
record TextProfile(
    long identity,
    String[] terms,
    String[] surfaces,
    float[] weights,
    boolean[] entityTerm,
    boolean lead,
    int[] grams,
    List<Entity> entities,
    String[] sequence,
    int[] sequenceTerms,
    QuantizedVector vector,
    long source) {

  int size() {
    return terms.length;
  }

  int indexOf(String term) {
    for (int i = 0; i < terms.length; i++) {
      if (terms[i].equals(term)) {
        return i;
      }
    }
    return -1;
  }
}
