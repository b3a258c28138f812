package dev.delega.server.internal;

import dev.delega.api.Json;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A JSON object from a request, read field by field with strict types. Every accessor throws a 422
 * naming the field and what it must be, so callers learn exactly what to change. Absent and explicit
 * {@code null} are told apart ({@link #has}, {@link #isNull}), which partial updates need.
 */
public final class Fields {
  private final ObjectNode node;

  private Fields(ObjectNode node) {
    this.node = node;
  }

  /** Parses a request body; an empty body is an empty object, anything but an object is a 400. */
  public static Fields parse(byte[] body) {
    if (body == null || isBlank(body)) {
      return new Fields(Json.mapper().createObjectNode());
    }
    if (!isUtf8(body)) {
      throw new DelegaException.InvalidJson(
          "request body is not valid UTF-8 (overlong forms and encoded surrogates are refused too)");
    }
    JsonNode tree;
    try {
      tree = Json.mapper().readTree(body);
    } catch (JacksonException e) {
      throw new DelegaException.InvalidJson(
          "request body is not valid JSON: " + shorten(e.getOriginalMessage()));
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      return new Fields(Json.mapper().createObjectNode());
    }
    if (!tree.isObject()) {
      throw new DelegaException.InvalidJson("request body must be a JSON object");
    }
    if (containsUnstorable(tree)) {
      throw new DelegaException.ValidationFailed(
          "request body must not contain NUL (\\u0000) characters or unpaired surrogates (\\uD800-\\uDFFF)"
              + " in any string or key");
    }
    return new Fields((ObjectNode) tree);
  }

  /**
   * True when a string or a key anywhere in the tree holds U+0000, which PostgreSQL cannot store, or
   * an unpaired surrogate, which no UTF-8 store can hold (it would come back as {@code ?}).
   */
  private static boolean containsUnstorable(JsonNode node) {
    if (node.isString()) {
      return unstorable(node.asString());
    }
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        if (unstorable(e.getKey()) || containsUnstorable(e.getValue())) {
          return true;
        }
      }
      return false;
    }
    if (node.isArray()) {
      for (JsonNode item : node) {
        if (containsUnstorable(item)) {
          return true;
        }
      }
    }
    return false;
  }

  /** True when {@code body} is well-formed UTF-8; Jackson alone lets overlong forms such as C0 AE ('.') through. */
  public static boolean isUtf8(byte[] body) {
    boolean ascii = true;
    for (byte b : body) {
      if (b < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return true;
    }
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /** True for U+0000 or a surrogate that is not half of a pair. */
  static boolean unstorable(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 0) {
        return true;
      }
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  /** Wraps an object node (for nested objects). */
  public static Fields of(ObjectNode node) {
    return new Fields(node);
  }

  private static boolean isBlank(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }

  private static String shorten(String s) {
    if (s == null) {
      return "malformed";
    }
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }

  public ObjectNode node() {
    return node;
  }

  public boolean has(String name) {
    return node.has(name);
  }

  public boolean isNull(String name) {
    return node.has(name) && node.get(name).isNull();
  }

  /** True when the field is present and not null. */
  public boolean hasValue(String name) {
    return node.has(name) && !node.get(name).isNull();
  }

  public Iterator<String> names() {
    return node.propertyNames().iterator();
  }

  private static DelegaException.ValidationFailed invalid(String name, String what) {
    return new DelegaException.ValidationFailed(name + " must be " + what);
  }

  /** A required string: present, not null, at most {@code max} characters, and not blank. */
  public String requiredText(String name, int max) {
    if (!hasValue(name)) {
      throw new DelegaException.ValidationFailed(name + " is required");
    }
    String s = text(name, max);
    if (s.isBlank()) {
      throw new DelegaException.ValidationFailed(name + " must not be blank");
    }
    return s;
  }

  /** An optional string (null when absent or null), at most {@code max} characters. */
  public String text(String name, int max) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isString()) {
      throw invalid(name, "a string");
    }
    String s = v.asString();
    if (s.length() > max) {
      throw new DelegaException.ValidationFailed(
          name + " is too long (" + s.length() + " characters; at most " + max + ")");
    }
    refuseNul(name, s);
    return s;
  }

  /** NUL cannot be stored by PostgreSQL and means nothing in text: refused alike on every store. */
  private static void refuseNul(String name, String s) {
    if (s.indexOf(0) >= 0) {
      throw new DelegaException.ValidationFailed(name + " must not contain NUL (\\u0000) characters");
    }
  }

  /** An optional id: an integer or a string of digits, positive. */
  public Long id(String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    return toId(name, v);
  }

  static long toId(String name, JsonNode v) {
    long id;
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      id = v.asLong();
    } else if (v.isString() && v.asString().trim().matches("\\d{1,18}")) {
      id = Long.parseLong(v.asString().trim());
    } else {
      throw invalid(name, "an integer id");
    }
    if (id <= 0) {
      throw invalid(name, "a positive integer id");
    }
    return id;
  }

  /** An optional whole number in {@code [min, max]}; integral JSON numbers and digit strings. */
  public Integer integer(String name, long min, long max) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    long n;
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      n = v.asLong();
    } else if (v.isFloatingPointNumber() && v.asDouble() == Math.rint(v.asDouble())) {
      n = (long) v.asDouble();
    } else if (v.isString() && v.asString().trim().matches("-?\\d{1,18}")) {
      n = Long.parseLong(v.asString().trim());
    } else {
      throw invalid(name, "a whole number");
    }
    if (n < min || n > max) {
      throw invalid(name, "between " + min + " and " + max);
    }
    return (int) n;
  }

  /** An optional number in {@code [min, max]}. */
  public Double number(String name, double min, double max) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber()) {
      throw invalid(name, "a number");
    }
    double d = v.asDouble();
    if (Double.isNaN(d) || d < min || d > max) {
      throw invalid(name, "between " + min + " and " + max);
    }
    return d;
  }

  /** An optional boolean: JSON true/false, or the strings "true"/"false" in any case. */
  public Boolean bool(String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    if (v.isString()) {
      String s = v.asString().trim().toLowerCase(java.util.Locale.ROOT);
      if (s.equals("true")) {
        return true;
      }
      if (s.equals("false")) {
        return false;
      }
    }
    throw invalid(name, "true or false");
  }

  /** An optional list of strings, each at most {@code maxLength}, at most {@code maxItems}, duplicates removed. */
  public List<String> strings(String name, int maxItems, int maxLength) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray()) {
      throw invalid(name, "an array of strings");
    }
    if (v.size() > maxItems) {
      throw new DelegaException.ValidationFailed(
          name + " has too many items (" + v.size() + "; at most " + maxItems + ")");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : v) {
      if (!item.isString()) {
        throw invalid(name, "an array of strings");
      }
      String s = item.asString().trim();
      if (s.isEmpty()) {
        throw new DelegaException.ValidationFailed(name + " must not contain empty strings");
      }
      if (s.length() > maxLength) {
        throw new DelegaException.ValidationFailed(
            name + " items must be at most " + maxLength + " characters");
      }
      refuseNul(name, s);
      if (!out.contains(s)) {
        out.add(s);
      }
    }
    return out;
  }

  /** An optional list of ids. */
  public List<Long> ids(String name, int maxItems) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray()) {
      throw invalid(name, "an array of task ids");
    }
    if (v.size() > maxItems) {
      throw new DelegaException.ValidationFailed(
          name + " has too many items (at most " + maxItems + ")");
    }
    List<Long> out = new ArrayList<>();
    for (JsonNode item : v) {
      long id = toId(name, item);
      if (!out.contains(id)) {
        out.add(id);
      }
    }
    return out;
  }

  /** An optional JSON object. */
  public ObjectNode object(String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isObject()) {
      throw invalid(name, "a JSON object");
    }
    return (ObjectNode) v;
  }

  /** An optional array node. */
  public List<JsonNode> array(String name, int maxItems) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray()) {
      throw invalid(name, "an array");
    }
    if (v.size() > maxItems) {
      throw new DelegaException.ValidationFailed(
          name + " has too many items (at most " + maxItems + ")");
    }
    List<JsonNode> out = new ArrayList<>();
    v.forEach(out::add);
    return out;
  }

  /** An optional calendar date {@code YYYY-MM-DD}; a full timestamp is accepted and cut to its date. */
  public LocalDate date(String name) {
    String s = text(name, 64);
    if (s == null) {
      return null;
    }
    try {
      if (s.length() > 10) {
        return OffsetDateTime.parse(s).toLocalDate();
      }
      return LocalDate.parse(s);
    } catch (DateTimeException e) {
      throw invalid(name, "a date like 2026-03-31");
    }
  }

  /** An optional time of day {@code HH:MM[:SS]}. */
  public LocalTime time(String name) {
    String s = text(name, 32);
    if (s == null) {
      return null;
    }
    try {
      return LocalTime.parse(s, DateTimeFormatter.ISO_LOCAL_TIME);
    } catch (DateTimeException e) {
      throw invalid(name, "a time like 09:30 or 09:30:00");
    }
  }

  /** An optional instant: ISO-8601 with an offset or Z; without one it is read as UTC. */
  public Instant instant(String name) {
    String s = text(name, 64);
    if (s == null) {
      return null;
    }
    return parseInstant(name, s);
  }

  /** The earliest and latest instants accepted: years 0001 to 9999, what ISO-8601 and epoch millis both hold. */
  static final Instant MIN_INSTANT = Instant.parse("0001-01-01T00:00:00Z");
  static final Instant MAX_INSTANT = Instant.parse("9999-12-31T23:59:59.999Z");

  /** Parses an ISO-8601 instant (offset optional, UTC when absent), naming the field on failure. */
  public static Instant parseInstant(String name, String s) {
    Instant at;
    try {
      at = OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeException e) {
      try {
        at = java.time.LocalDateTime.parse(s).toInstant(java.time.ZoneOffset.UTC);
      } catch (DateTimeException e2) {
        throw invalid(name, "an ISO-8601 timestamp like 2026-03-31T09:00:00Z");
      }
    }
    if (at.isBefore(MIN_INSTANT) || at.isAfter(MAX_INSTANT)) {
      throw invalid(name, "an ISO-8601 timestamp between the years 0001 and 9999");
    }
    return at;
  }

  /** Refuses any field not in {@code allowed}: used where a typo would silently do nothing harmful. */
  public void onlyAllow(java.util.Set<String> allowed) {
    for (Iterator<String> it = names(); it.hasNext(); ) {
      String n = it.next();
      if (!allowed.contains(n)) {
        throw new DelegaException.ValidationFailed("unknown field '" + n + "'");
      }
    }
  }

  /** The object as plain Java values. */
  public Map<String, Object> toMap() {
    @SuppressWarnings("unchecked")
    Map<String, Object> m = Json.mapper().convertValue(node, LinkedHashMap.class);
    return m;
  }
}
