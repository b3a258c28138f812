package dev.delega.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Resolves the API base the way the official CLI and Python SDK do: a URL with a path is used as
 * given; a bare host gets {@code /api} when it is a loopback name and {@code /v1} otherwise.
 */
final class BaseUrl {
  private BaseUrl() {}

  /** The base URI, without a trailing slash, query or fragment. */
  static URI resolve(String url, boolean allowInsecureHttp) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("baseUrl is required, for example http://127.0.0.1:18890");
    }
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("baseUrl is not a URL: " + url, e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("baseUrl must start with http:// or https://: " + url);
    }
    String host = uri.getHost();
    if (host == null || uri.getRawAuthority() == null) {
      throw new IllegalArgumentException("baseUrl has no host: " + url);
    }
    if (scheme.equals("http") && !isLoopback(host) && !allowInsecureHttp) {
      throw new IllegalArgumentException(
          "baseUrl must use https for a non-local host (or set allowInsecureHttp): " + url);
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (path.isEmpty()) {
      path = isLoopback(host) ? "/api" : "/v1";
    }
    return URI.create(scheme + "://" + uri.getRawAuthority() + path);
  }

  static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h.equals("localhost") || h.equals("127.0.0.1") || h.equals("::1");
  }
}
