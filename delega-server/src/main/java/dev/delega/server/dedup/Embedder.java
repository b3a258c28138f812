package dev.delega.server.dedup;

/** Turns a text into a dense vector whose cosine similarity reflects meaning. */
interface Embedder {

  /** The embedding of the text; must be thread-safe. */
  float[] embed(String text);
}
