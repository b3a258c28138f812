package dev.delega.client;

/** How the SDK presents the agent key. */
public enum AuthScheme {
  /** {@code X-Agent-Key: <key>}, what every official client sends (the default). */
  AGENT_KEY,
  /** {@code Authorization: Bearer <key>}. */
  BEARER
}
