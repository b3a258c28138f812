package dev.delega.server.context;

import dev.delega.server.Features;

/** Plugs task memory (context provenance and history, recall, links, idempotency) into the server. */
public final class MemoryFeature {
  private MemoryFeature() {}

  /** Registers routes and request filters. */
  public static void install(Features features) {
    // filled in by the memory feature
  }
}
