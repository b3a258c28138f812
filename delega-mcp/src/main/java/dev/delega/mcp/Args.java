package dev.delega.mcp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tool call's arguments, already checked against the tool's schema, read as the types the SDK
 * needs. Ids arrive as numbers or numeric strings; an explicit null counts as absent unless a tool
 * asks {@link #isNull}.
 */
final class Args {
  private final Map<String, Object> values;

  Args(Map<String, Object> values) {
    this.values = values == null ? Map.of() : values;
  }

  /** True when the argument was given, even as null. */
  boolean has(String name) {
    return values.containsKey(name);
  }

  /** True when the argument was given as an explicit null. */
  boolean isNull(String name) {
    return values.containsKey(name) && values.get(name) == null;
  }

  /** True when the argument was given with a non-null value. */
  boolean present(String name) {
    return values.get(name) != null;
  }

  Object raw(String name) {
    return values.get(name);
  }

  /** A required id. */
  long id(String name) {
    Long id = optId(name);
    if (id == null) {
      throw new ToolInputException(name + " is required");
    }
    return id;
  }

  /** An optional id, or null. */
  Long optId(String name) {
    return toId(name, values.get(name));
  }

  /** A required string. */
  String text(String name) {
    String s = optText(name);
    if (s == null) {
      throw new ToolInputException(name + " is required");
    }
    return s;
  }

  /** An optional string, or null. */
  String optText(String name) {
    Object v = values.get(name);
    return v == null ? null : v.toString();
  }

  /** An optional integer, or null. */
  Integer optInt(String name) {
    Object v = values.get(name);
    return v instanceof Number n ? Integer.valueOf(n.intValue()) : null;
  }

  /** An optional number, or null. */
  Double optNumber(String name) {
    Object v = values.get(name);
    return v instanceof Number n ? Double.valueOf(n.doubleValue()) : null;
  }

  /** An optional boolean, or null. */
  Boolean optBool(String name) {
    Object v = values.get(name);
    return v instanceof Boolean b ? b : null;
  }

  /** An optional list of strings, or null. */
  List<String> optStrings(String name) {
    Object v = values.get(name);
    if (!(v instanceof List<?> list)) {
      return null;
    }
    List<String> out = new ArrayList<>(list.size());
    for (Object o : list) {
      out.add(String.valueOf(o));
    }
    return out;
  }

  /** An optional object, or null. */
  @SuppressWarnings("unchecked")
  Map<String, Object> optObject(String name) {
    Object v = values.get(name);
    return v instanceof Map<?, ?> m ? new LinkedHashMap<>((Map<String, Object>) m) : null;
  }

  /** An optional list of objects, or null. */
  @SuppressWarnings("unchecked")
  List<Map<String, Object>> optObjects(String name) {
    Object v = values.get(name);
    if (!(v instanceof List<?> list)) {
      return null;
    }
    List<Map<String, Object>> out = new ArrayList<>(list.size());
    for (Object o : list) {
      out.add(o instanceof Map<?, ?> m ? new LinkedHashMap<>((Map<String, Object>) m) : Map.of());
    }
    return out;
  }

  /**
   * The value of an id field: a number, or a string of digits; null stays null.
   *
   * @throws ToolInputException for anything else
   */
  static Long toId(String name, Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof Number n) {
      double d = n.doubleValue();
      if (d != Math.rint(d) || d < 0) {
        throw new ToolInputException(name + " must be a whole, non-negative id, got " + v);
      }
      return n.longValue();
    }
    String s = v.toString().trim();
    if (s.startsWith("#")) {
      s = s.substring(1);
    }
    if (!s.isEmpty() && s.length() <= 18 && s.chars().allMatch(Character::isDigit)) {
      return Long.parseLong(s);
    }
    throw new ToolInputException(
        name + " must be a numeric id (for example 42 or \"42\"), got \"" + v + "\"");
  }
}
