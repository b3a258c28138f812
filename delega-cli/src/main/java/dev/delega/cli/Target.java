package dev.delega.cli;

import dev.delega.client.DelegaClient;
import java.net.URI;
import java.time.Duration;

/**
 * Which server and key a command uses, resolved as the official CLI does: the URL from {@code
 * --api-url}, then {@code DELEGA_API_URL}, then {@code api_url} in {@code ~/.delega/config.json},
 * then {@code http://127.0.0.1:18890}; the key from {@code DELEGA_API_KEY}, then {@code
 * DELEGA_AGENT_KEY}, then {@code api_key} in the config file.
 *
 * @param apiUrl the URL as configured (a path, when given, is the API base)
 * @param apiKey the key, or null
 * @param keySource where the key came from ({@code DELEGA_API_KEY}, the config file…), or null
 */
record Target(String apiUrl, String apiKey, String keySource) {
  /** The server a fresh install listens on. */
  static final String DEFAULT_URL = "http://127.0.0.1:18890";

  static Target resolve(Session session, String apiUrlOption) {
    ConfigFile config = new ConfigFile(session.home());
    ConfigFile.Values saved = null;
    String url = blankToNull(apiUrlOption);
    if (url == null) {
      url = session.var("DELEGA_API_URL");
    }
    if (url == null) {
      saved = config.read();
      url = saved.apiUrl();
    }
    if (url == null) {
      url = DEFAULT_URL;
    }
    String key = session.var("DELEGA_API_KEY");
    String source = "DELEGA_API_KEY";
    if (key == null) {
      key = session.var("DELEGA_AGENT_KEY");
      source = "DELEGA_AGENT_KEY";
    }
    if (key == null) {
      if (saved == null) {
        saved = config.read();
      }
      key = saved.apiKey();
      source = config.file().toString();
    }
    return new Target(url, key, key == null ? null : source);
  }

  /** A client for this target (with its key, if any). */
  DelegaClient client() {
    return client(apiKey);
  }

  /** A client for this target with another key (null for none). */
  DelegaClient client(String key) {
    try {
      return DelegaClient.builder()
          .baseUrl(apiUrl)
          .apiKey(key)
          .timeout(Duration.ofSeconds(15))
          .userAgent("delega-cli/" + Delega.VERSION)
          .build();
    } catch (IllegalArgumentException e) {
      throw new CliException("Configuration error: " + e.getMessage());
    }
  }

  /** The client, or an error telling the user how to authenticate. */
  DelegaClient authenticatedClient() {
    if (apiKey == null) {
      throw new CliException(
          "Not authenticated. Run: delega login (or set DELEGA_API_KEY / DELEGA_AGENT_KEY)");
    }
    return client();
  }

  /** The API base, for example {@code http://127.0.0.1:18890/api}. */
  URI base() {
    try (DelegaClient c = client(null)) {
      return c.baseUri();
    }
  }

  /**
   * {@code <root>/health}: the base without its final {@code /api} or {@code /v1} segment, where
   * the server answers without a key.
   */
  String healthUrl() {
    String base = base().toString();
    for (String suffix : new String[] {"/api", "/v1"}) {
      if (base.endsWith(suffix)) {
        return base.substring(0, base.length() - suffix.length()) + "/health";
      }
    }
    return base + "/health";
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
