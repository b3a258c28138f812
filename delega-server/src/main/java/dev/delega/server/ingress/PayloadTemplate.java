package dev.delega.server.ingress;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * A text with {@code {{payload.a.b}}} placeholders, parsed once and rendered in a single pass.
 *
 * <p>{@code {{payload}}} is the whole payload as compact JSON; {@code {{payload.x}}} and {@code
 * {{payload[0]}}} are paths into it; for compatibility with the hosted service's {@code
 * {{workflow.name}}} form, a placeholder without the {@code payload} prefix is a path too. Spaces
 * inside the braces are ignored. A missing value or JSON {@code null} renders as nothing; strings
 * as themselves; numbers and booleans as their JSON text; objects and arrays as compact JSON.
 * Substituted text is never scanned again, so a payload value containing {@code {{…}}} stays
 * literal. A {@code {{} without a closing {@code }}} is literal text.
 */
final class PayloadTemplate {
  private final List<Object> parts; // String literal, PayloadPath, or WHOLE

  private static final Object WHOLE = new Object();

  private PayloadTemplate(List<Object> parts) {
    this.parts = parts;
  }

  /**
   * Parses a template.
   *
   * @throws IllegalArgumentException naming the bad placeholder
   */
  static PayloadTemplate parse(String template) {
    List<Object> parts = new ArrayList<>();
    int i = 0;
    StringBuilder literal = new StringBuilder();
    while (i < template.length()) {
      int open = template.indexOf("{{", i);
      if (open < 0) {
        break;
      }
      int close = template.indexOf("}}", open + 2);
      if (close < 0) {
        break;
      }
      literal.append(template, i, open);
      if (!literal.isEmpty()) {
        parts.add(literal.toString());
        literal.setLength(0);
      }
      parts.add(placeholder(template.substring(open + 2, close).strip()));
      i = close + 2;
    }
    literal.append(template, i, template.length());
    if (!literal.isEmpty()) {
      parts.add(literal.toString());
    }
    return new PayloadTemplate(List.copyOf(parts));
  }

  private static Object placeholder(String expr) {
    if (expr.equals("payload")) {
      return WHOLE;
    }
    String path = expr;
    if (expr.startsWith("payload.")) {
      path = expr.substring("payload.".length());
    } else if (expr.startsWith("payload[")) {
      path = expr.substring("payload".length());
    }
    try {
      return PayloadPath.parse(path);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "placeholder {{" + expr + "}} is not a payload path: " + e.getMessage());
    }
  }

  String render(JsonNode payload) {
    StringBuilder out = new StringBuilder();
    for (Object part : parts) {
      if (part instanceof String s) {
        out.append(s);
      } else if (part == WHOLE) {
        out.append(text(Optional.ofNullable(payload)));
      } else {
        out.append(text(((PayloadPath) part).resolve(payload)));
      }
    }
    return out.toString();
  }

  private static String text(Optional<JsonNode> value) {
    if (value.isEmpty() || value.get().isNull()) {
      return "";
    }
    JsonNode n = value.get();
    if (n.isString()) {
      return n.stringValue();
    }
    if (n.isContainer()) {
      return n.toString();
    }
    return n.asString();
  }
}
