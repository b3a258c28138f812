package dev.delega.server.internal;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Reads JSON request fields (automations, ingress) leniently where the API promises it (numeric-string ids) and strictly elsewhere. */
public final class JsonFields {
  private JsonFields() {}

  public static JsonNode get(JsonNode object, String name) {
    JsonNode n = object.get(name);
    return n == null || n.isMissingNode() || n.isNull() ? null : n;
  }

  public static String string(JsonNode object, String name) {
    JsonNode n = get(object, name);
    if (n == null) {
      return null;
    }
    if (!n.isString()) {
      throw FieldErrors.field(name, name + " must be a string");
    }
    return n.stringValue();
  }

  public static Integer integer(JsonNode object, String name) {
    JsonNode n = get(object, name);
    if (n == null) {
      return null;
    }
    if (n.isIntegralNumber() && n.canConvertToInt()) {
      return n.intValue();
    }
    if (n.isString() && n.stringValue().strip().matches("-?\\d{1,9}")) {
      return Integer.parseInt(n.stringValue().strip());
    }
    throw FieldErrors.field(name, name + " must be an integer");
  }

  public static Boolean bool(JsonNode object, String name) {
    JsonNode n = get(object, name);
    if (n == null) {
      return null;
    }
    if (!n.isBoolean()) {
      throw FieldErrors.field(name, name + " must be true or false");
    }
    return n.booleanValue();
  }

  /** An id: a positive integer, given as a JSON number or a numeric string. */
  public static Long id(JsonNode object, String name) {
    JsonNode n = get(object, name);
    if (n == null) {
      return null;
    }
    long value;
    if (n.isIntegralNumber() && n.canConvertToLong()) {
      value = n.longValue();
    } else if (n.isString() && n.stringValue().strip().matches("\\d{1,18}")) {
      value = Long.parseLong(n.stringValue().strip());
    } else {
      throw FieldErrors.field(name, name + " must be an id (a positive integer)");
    }
    if (value < 1) {
      throw FieldErrors.field(name, name + " must be an id (a positive integer)");
    }
    return value;
  }

  public static List<String> strings(JsonNode object, String name) {
    JsonNode n = get(object, name);
    if (n == null) {
      return null;
    }
    if (!n.isArray()) {
      throw FieldErrors.field(name, name + " must be an array of strings");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      JsonNode item = n.get(i);
      if (item == null || !item.isString()) {
        throw FieldErrors.field(name + "[" + i + "]", name + "[" + i + "] must be a string");
      }
      out.add(item.stringValue());
    }
    return out;
  }

  /** A scalar filter value: string, number or boolean, as the Java value Jackson would bind. */
  public static Object scalar(JsonNode object, String name) {
    JsonNode n = get(object, name);
    if (n == null) {
      return null;
    }
    if (n.isString()) {
      return n.stringValue();
    }
    if (n.isNumber()) {
      return n.numberValue();
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    throw FieldErrors.field(name, name + " must be a string, number or boolean");
  }

  public static void requireObject(JsonNode node, String what) {
    if (node == null || !node.isObject()) {
      throw FieldErrors.field(what, what + " must be a JSON object");
    }
  }

  /** Cuts to at most {@code max} UTF-16 units without splitting a surrogate pair. */
  public static String truncate(String s, int max) {
    if (s.length() <= max) {
      return s;
    }
    int end = max;
    if (Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end);
  }
}
