package dev.delega.server;

/** The server's version, as reported by {@code /health} and {@code /openapi.json}. */
public final class Version {
  /** The release version. */
  public static final String VALUE = "0.1.0";

  private Version() {}
}
