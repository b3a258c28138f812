package dev.delega.server.dedup;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

/**
 * The in-process quantized all-MiniLM-L6-v2 sentence model (384 dimensions), loaded offline from
 * its jar through ONNX Runtime; about 1–2 ms per short text on one core.
 */
final class MiniLmEmbedder implements Embedder {
  private final AllMiniLmL6V2QuantizedEmbeddingModel model;

  /** Loads the model; throws (often a {@link LinkageError}) when ONNX Runtime cannot start. */
  MiniLmEmbedder() {
    this.model = new AllMiniLmL6V2QuantizedEmbeddingModel();
  }

  @Override
  public float[] embed(String text) {
    return model.embed(text.isBlank() ? "." : text).content().vector();
  }
}
