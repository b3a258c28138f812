package dev.delega.server.ingress;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * A dotted path into a JSON payload, such as {@code alert.labels.severity}, {@code commits[0].id}
 * or {@code commits.0.id}.
 *
 * <p>Grammar: segments joined by {@code .}; a segment is a name (any characters but {@code .
 * [ ] { } "} and whitespace) optionally followed by {@code [index]} parts; {@code ["any key"]}
 * reaches a key with dots or spaces; a path may start with {@code [0]} for a top-level array. A
 * numeric name indexes an array too. Resolving never throws: anything absent is empty.
 */
public final class PayloadPath {
  private final String text;
  private final List<Object> segments; // String key or Integer index

  private PayloadPath(String text, List<Object> segments) {
    this.text = text;
    this.segments = List.copyOf(segments);
  }

  /**
   * Parses a path.
   *
   * @throws IllegalArgumentException with a message saying what is wrong
   */
  public static PayloadPath parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("a path must not be empty");
    }
    String s = text.strip();
    List<Object> segments = new ArrayList<>();
    int i = 0;
    boolean expectName = true; // at the start or right after a dot
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '[') {
        int close = s.indexOf(']', i);
        if (close < 0) {
          throw bad(s, "'[' without ']'");
        }
        String inner = s.substring(i + 1, close);
        if (inner.length() >= 2
            && (inner.charAt(0) == '"' || inner.charAt(0) == '\'')
            && inner.charAt(inner.length() - 1) == inner.charAt(0)) {
          String key = inner.substring(1, inner.length() - 1);
          if (key.indexOf('"') >= 0 || key.indexOf('\'') >= 0) {
            throw bad(s, "quotes inside a quoted key");
          }
          segments.add(key);
        } else if (!inner.isEmpty() && inner.length() <= 9 && inner.chars().allMatch(PayloadPath::digit)) {
          segments.add(Integer.parseInt(inner));
        } else {
          throw bad(s, "'[" + inner + "]' is neither an array index nor a quoted key");
        }
        i = close + 1;
        expectName = false;
      } else if (c == '.') {
        if (expectName) {
          throw bad(s, "empty segment");
        }
        expectName = true;
        i++;
        if (i == s.length()) {
          throw bad(s, "ends with '.'");
        }
      } else {
        if (!expectName) {
          throw bad(s, "expected '.' or '[' after ']'");
        }
        int start = i;
        while (i < s.length() && nameChar(s.charAt(i))) {
          i++;
        }
        if (i == start) {
          throw bad(s, "unexpected '" + s.charAt(i) + "'");
        }
        segments.add(s.substring(start, i));
        expectName = false;
      }
    }
    return new PayloadPath(s, segments);
  }

  /** The value at this path, or empty when any step is missing (a JSON {@code null} is present). */
  public Optional<JsonNode> resolve(JsonNode root) {
    JsonNode node = root;
    for (Object segment : segments) {
      if (node == null) {
        return Optional.empty();
      }
      if (segment instanceof Integer index) {
        node = node.isArray() ? node.get(index) : null;
      } else {
        String key = (String) segment;
        if (node.isObject()) {
          node = node.get(key);
        } else if (node.isArray() && !key.isEmpty() && key.length() <= 9
            && key.chars().allMatch(PayloadPath::digit)) {
          node = node.get(Integer.parseInt(key));
        } else {
          node = null;
        }
      }
    }
    return node == null || node.isMissingNode() ? Optional.empty() : Optional.of(node);
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PayloadPath p && p.segments.equals(segments);
  }

  @Override
  public int hashCode() {
    return segments.hashCode();
  }

  private static boolean digit(int c) {
    return c >= '0' && c <= '9';
  }

  private static boolean nameChar(char c) {
    return c != '.' && c != '[' && c != ']' && c != '{' && c != '}' && c != '"'
        && !Character.isWhitespace(c);
  }

  private static IllegalArgumentException bad(String path, String why) {
    return new IllegalArgumentException("'" + path + "' is not a valid path: " + why);
  }
}
