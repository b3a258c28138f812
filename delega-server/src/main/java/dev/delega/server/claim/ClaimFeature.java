package dev.delega.server.claim;

import dev.delega.server.Features;

/** Plugs the work queue (claims, leases, fencing, dependencies, fleet attention) into the server. */
public final class ClaimFeature {
  private ClaimFeature() {}

  /** Registers routes and background parts. */
  public static void install(Features features) {
    // filled in by the work-queue feature
  }
}
