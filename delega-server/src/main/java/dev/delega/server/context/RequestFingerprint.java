package dev.delega.server.context;

import dev.delega.api.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;

/**
 * The fingerprint an {@code Idempotency-Key} is bound to: SHA-256 of the method, the path, the
 * query string and the body. A JSON body is hashed in a canonical form (object keys sorted, no
 * whitespace), so a client that re-serializes the same value in another key order still matches.
 */
final class RequestFingerprint {
  private RequestFingerprint() {}

  static String of(String method, String path, String query, byte[] body) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    sha.update((method + "\n" + path + "\n" + (query == null ? "" : query) + "\n").getBytes(StandardCharsets.UTF_8));
    sha.update(canonical(body));
    return HexFormat.of().formatHex(sha.digest());
  }

  /** The body in canonical JSON, or as it came when it is empty or not JSON. */
  static byte[] canonical(byte[] body) {
    if (body == null || body.length == 0) {
      return new byte[0];
    }
    try {
      Object value = Json.mapper().readValue(body, Object.class);
      return Json.mapper().writeValueAsBytes(sorted(value));
    } catch (JacksonException notJson) {
      return body;
    }
  }

  private static Object sorted(Object value) {
    if (value instanceof Map<?, ?> m) {
      TreeMap<String, Object> out = new TreeMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), sorted(v)));
      return out;
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      l.forEach(v -> out.add(sorted(v)));
      return out;
    }
    return value;
  }
}
