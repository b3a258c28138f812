package dev.delega.mcp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the JSON Schemas the tools publish (draft-07 subset, the shapes zod emits for the official
 * server) and checks arguments against them, so what an agent is told and what is enforced can
 * never drift apart. A schema is a plain {@code Map} ready to be serialized.
 */
final class Schema {
  private Schema() {}

  /** A string. */
  static Map<String, Object> str(String description) {
    return with(description, "type", "string");
  }

  /** A string of at most {@code maxLength} characters. */
  static Map<String, Object> str(String description, int maxLength) {
    Map<String, Object> s = str(description);
    s.put("maxLength", maxLength);
    return s;
  }

  /** A URL string. */
  static Map<String, Object> uri(String description) {
    Map<String, Object> s = str(description);
    s.put("format", "uri");
    return s;
  }

  /** One of a fixed set of strings. */
  static Map<String, Object> oneOf(String description, List<String> values) {
    Map<String, Object> s = str(description);
    s.put("enum", List.copyOf(values));
    return s;
  }

  /** One of a fixed set of strings. */
  static Map<String, Object> oneOf(String description, String... values) {
    return oneOf(description, Arrays.asList(values));
  }

  /** An integer, optionally bounded (null for no bound). */
  static Map<String, Object> integer(String description, Integer min, Integer max) {
    Map<String, Object> s = with(description, "type", "integer");
    if (min != null) {
      s.put("minimum", min);
    }
    if (max != null) {
      s.put("maximum", max);
    }
    return s;
  }

  /** A number, optionally bounded (null for no bound). */
  static Map<String, Object> number(String description, Double min, Double max) {
    Map<String, Object> s = with(description, "type", "number");
    if (min != null) {
      s.put("minimum", min);
    }
    if (max != null) {
      s.put("maximum", max);
    }
    return s;
  }

  /** A boolean. */
  static Map<String, Object> bool(String description) {
    return with(description, "type", "boolean");
  }

  /** An id: a string or a number (numeric strings are accepted). */
  static Map<String, Object> id(String description) {
    return anyOf(description, typed("string"), typed("number"));
  }

  /** An id, or null to clear. */
  static Map<String, Object> nullableId(String description) {
    return anyOf(description, typed("string"), typed("number"), typed("null"));
  }

  /** {@code schema} or null. */
  static Map<String, Object> nullable(Map<String, Object> schema) {
    Map<String, Object> inner = new LinkedHashMap<>(schema);
    Object description = inner.remove("description");
    return anyOf(description == null ? null : description.toString(), inner, typed("null"));
  }

  /** Any of the given schemas. */
  @SafeVarargs
  static Map<String, Object> anyOf(String description, Map<String, Object>... options) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("anyOf", List.of(options));
    if (description != null) {
      s.put("description", description);
    }
    return s;
  }

  /** An array of {@code items}, with optional size bounds (null for none). */
  static Map<String, Object> array(
      String description, Map<String, Object> items, Integer minItems, Integer maxItems) {
    Map<String, Object> s = with(description, "type", "array");
    s.put("items", items);
    if (minItems != null) {
      s.put("minItems", minItems);
    }
    if (maxItems != null) {
      s.put("maxItems", maxItems);
    }
    return s;
  }

  /** An array of strings. */
  static Map<String, Object> strings(String description) {
    return array(description, typed("string"), null, null);
  }

  /** An object with any keys (for a context blob). */
  static Map<String, Object> anyObject(String description) {
    Map<String, Object> s = with(description, "type", "object");
    s.put("additionalProperties", Map.of());
    return s;
  }

  /** Starts an object schema; properties keep their declaration order. */
  static Obj object() {
    return new Obj();
  }

  private static Map<String, Object> typed(String type) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("type", type);
    return s;
  }

  private static Map<String, Object> with(String description, String key, Object value) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put(key, value);
    if (description != null) {
      s.put("description", description);
    }
    return s;
  }

  /** An object schema under construction. */
  static final class Obj {
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private final List<String> required = new ArrayList<>();

    /** A required property. */
    Obj req(String name, Map<String, Object> schema) {
      properties.put(name, schema);
      required.add(name);
      return this;
    }

    /** An optional property. */
    Obj opt(String name, Map<String, Object> schema) {
      properties.put(name, schema);
      return this;
    }

    /** The schema (unknown keys are tolerated, as zod's default object parsing does). */
    Map<String, Object> build() {
      return build(null);
    }

    /** The schema with a description. */
    Map<String, Object> build(String description) {
      Map<String, Object> s = with(description, "type", "object");
      s.put("properties", new LinkedHashMap<>(properties));
      if (!required.isEmpty()) {
        s.put("required", List.copyOf(required));
      }
      return s;
    }
  }

  // ---- validation ----

  /** The problems of {@code value} against {@code schema}; empty when it fits. */
  static List<String> check(Map<String, Object> schema, Object value) {
    List<String> errors = new ArrayList<>();
    check(schema, value, "", errors);
    return errors;
  }

  @SuppressWarnings("unchecked")
  private static void check(Map<String, ?> schema, Object value, String path, List<String> errors) {
    Object anyOf = schema.get("anyOf");
    if (anyOf instanceof List<?> options) {
      for (Object option : options) {
        List<String> sub = new ArrayList<>();
        check((Map<String, ?>) option, value, path, sub);
        if (sub.isEmpty()) {
          return;
        }
      }
      errors.add(name(path) + " must be " + describe(options) + ", got " + show(value));
      return;
    }
    Object type = schema.get("type");
    if (type == null) {
      return;
    }
    switch (type.toString()) {
      case "null" -> {
        if (value != null) {
          errors.add(name(path) + " must be null");
        }
      }
      case "string" -> {
        if (!(value instanceof String s)) {
          errors.add(name(path) + " must be a string, got " + show(value));
          return;
        }
        if (schema.get("enum") instanceof List<?> values && !values.contains(s)) {
          errors.add(name(path) + " must be one of " + join(values) + ", got " + show(value));
        }
        if (schema.get("maxLength") instanceof Number max && s.length() > max.intValue()) {
          errors.add(name(path) + " must be at most " + max + " characters (got " + s.length() + ")");
        }
      }
      case "integer", "number" -> {
        if (!(value instanceof Number n)) {
          errors.add(name(path) + " must be a number, got " + show(value));
          return;
        }
        double d = n.doubleValue();
        if (type.equals("integer") && (Double.isNaN(d) || d != Math.rint(d))) {
          errors.add(name(path) + " must be an integer, got " + show(value));
          return;
        }
        if (schema.get("minimum") instanceof Number min && d < min.doubleValue()) {
          errors.add(name(path) + " must be at least " + plain(min) + ", got " + show(value));
        }
        if (schema.get("maximum") instanceof Number max && d > max.doubleValue()) {
          errors.add(name(path) + " must be at most " + plain(max) + ", got " + show(value));
        }
      }
      case "boolean" -> {
        if (!(value instanceof Boolean)) {
          errors.add(name(path) + " must be true or false, got " + show(value));
        }
      }
      case "array" -> {
        if (!(value instanceof List<?> list)) {
          errors.add(name(path) + " must be an array, got " + show(value));
          return;
        }
        if (schema.get("minItems") instanceof Number min && list.size() < min.intValue()) {
          errors.add(name(path) + " needs at least " + min + " item(s)");
        }
        if (schema.get("maxItems") instanceof Number max && list.size() > max.intValue()) {
          errors.add(name(path) + " takes at most " + max + " item(s) (got " + list.size() + ")");
        }
        if (schema.get("items") instanceof Map<?, ?> items) {
          for (int i = 0; i < list.size(); i++) {
            check((Map<String, ?>) items, list.get(i), path + "[" + i + "]", errors);
          }
        }
      }
      case "object" -> {
        if (!(value instanceof Map<?, ?> map)) {
          errors.add(name(path) + " must be an object, got " + show(value));
          return;
        }
        Map<?, ?> declared =
            schema.get("properties") instanceof Map<?, ?> d ? d : Map.of();
        if (schema.get("required") instanceof List<?> required) {
          for (Object r : required) {
            boolean nullOk =
                declared.get(r) instanceof Map<?, ?> p && acceptsNull((Map<String, ?>) p);
            if (!map.containsKey(r) || map.get(r) == null && !nullOk) {
              errors.add(name(child(path, r.toString())) + " is required");
            }
          }
        }
        if (schema.get("properties") instanceof Map<?, ?> props) {
          for (Map.Entry<?, ?> p : props.entrySet()) {
            String key = p.getKey().toString();
            if (map.containsKey(key)) {
              Object v = map.get(key);
              boolean required =
                  schema.get("required") instanceof List<?> req && req.contains(key);
              if (v == null && !required && !acceptsNull((Map<String, ?>) p.getValue())) {
                continue; // an explicit null for an optional field means "not given"
              }
              if (v == null && required && !acceptsNull((Map<String, ?>) p.getValue())) {
                continue; // already reported
              }
              check((Map<String, ?>) p.getValue(), v, child(path, key), errors);
            }
          }
        }
      }
      default -> {}
    }
  }

  private static boolean acceptsNull(Map<String, ?> schema) {
    if (schema.get("anyOf") instanceof List<?> options) {
      for (Object o : options) {
        if (o instanceof Map<?, ?> m && "null".equals(m.get("type"))) {
          return true;
        }
      }
    }
    return "null".equals(schema.get("type"));
  }

  private static String child(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private static String name(String path) {
    return path.isEmpty() ? "arguments" : path;
  }

  private static String describe(List<?> options) {
    List<String> types = new ArrayList<>();
    for (Object o : options) {
      if (o instanceof Map<?, ?> m && m.get("type") != null) {
        types.add(m.get("type").equals("null") ? "null" : "a " + m.get("type"));
      } else {
        types.add("a value of another shape");
      }
    }
    return String.join(" or ", types);
  }

  private static String join(List<?> values) {
    List<String> out = new ArrayList<>();
    for (Object v : values) {
      out.add(String.valueOf(v));
    }
    return String.join(", ", out);
  }

  private static String plain(Number n) {
    double d = n.doubleValue();
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private static String show(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String s) {
      return "\"" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "\"";
    }
    if (value instanceof Map<?, ?>) {
      return "an object";
    }
    if (value instanceof List<?>) {
      return "an array";
    }
    return String.valueOf(value);
  }
}
