package dev.delega.mcp;

import java.util.Map;

/**
 * How the tools show secrets: agent keys and webhook or ingress secrets are masked (first 8 and last
 * 4 characters) unless revealed, as the official delega-mcp does with {@code
 * DELEGA_REVEAL_AGENT_KEYS=1} and {@code DELEGA_REVEAL_WEBHOOK_SECRETS=1}.
 *
 * @param revealAgentKeys print new agent keys in full
 * @param revealWebhookSecrets print new webhook and ingress secrets in full
 */
public record McpOptions(boolean revealAgentKeys, boolean revealWebhookSecrets) {
  /** Everything masked. */
  public static McpOptions defaults() {
    return new McpOptions(false, false);
  }

  /** Reads {@code DELEGA_REVEAL_AGENT_KEYS} and {@code DELEGA_REVEAL_WEBHOOK_SECRETS} ({@code 1} or {@code true}). */
  public static McpOptions fromEnv(Map<String, String> env) {
    return new McpOptions(
        on(env.get("DELEGA_REVEAL_AGENT_KEYS")), on(env.get("DELEGA_REVEAL_WEBHOOK_SECRETS")));
  }

  private static boolean on(String value) {
    return value != null && (value.trim().equals("1") || value.trim().equalsIgnoreCase("true"));
  }
}
