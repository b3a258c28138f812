package dev.delega.server.http;

/** One route of the API, as registered and as described in {@code /openapi.json}. */
public record Route(String method, String path, String summary, String tag, Access access) {
  /** Who may call a route before any finer check in its use case. */
  public enum Access {
    /** No key needed. */
    PUBLIC,
    /** An agent key (or open mode). */
    AGENT,
    /** Signed by another scheme (ingress). */
    SIGNED
  }
}
