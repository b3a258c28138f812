package dev.delega.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A query string under construction; null values are skipped. */
final class Query {
  private final List<String> pairs = new ArrayList<>();

  static Query create() {
    return new Query();
  }

  Query add(String name, Object value) {
    if (value != null) {
      pairs.add(encode(name) + "=" + encode(String.valueOf(value)));
    }
    return this;
  }

  Query addAll(String name, Iterable<?> values) {
    if (values != null) {
      for (Object value : values) {
        add(name, value);
      }
    }
    return this;
  }

  boolean isEmpty() {
    return pairs.isEmpty();
  }

  /** {@code path?a=b&c=d}, or the path alone when there are no parameters. */
  String appendTo(String path) {
    if (pairs.isEmpty()) {
      return path;
    }
    return path + (path.contains("?") ? "&" : "?") + String.join("&", pairs);
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
