package dev.delega.server.ingress;

import dev.delega.server.internal.JsonFields;
import dev.delega.server.internal.FieldErrors;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.delega.server.internal.DelegaException;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * One condition an ingress payload must meet before it becomes a task: {@code {path, op, value}}.
 *
 * <p>Semantics: {@code exists} holds when the path resolves to a value other than JSON {@code
 * null}; {@code not_exists} is its negation. {@code eq} compares numbers numerically (a filter
 * {@code 500} equals payload {@code 500}, {@code 500.0} and {@code "500"}), strings exactly (case
 * and whitespace count; a string filter {@code "500"} also equals a payload number {@code 500}),
 * booleans only with booleans; a missing or {@code null} value equals nothing. {@code neq} is the
 * negation of {@code eq}, so it holds for a missing value.
 *
 * @param path where to look, at most {@value #MAX_PATH_LENGTH} characters (see {@link PayloadPath})
 * @param op the comparison
 * @param value a {@link String} (at most {@value #MAX_VALUE_LENGTH} characters), {@link Number} or
 *     {@link Boolean}; required for {@code eq}/{@code neq}, dropped for {@code exists}/{@code
 *     not_exists}
 */
public record IngressFilter(String path, Op op, Object value) {
  /** The longest accepted path. */
  public static final int MAX_PATH_LENGTH = 200;

  /** The longest accepted string value. */
  public static final int MAX_VALUE_LENGTH = 1000;

  /** Validates; messages name the field ({@code path}, {@code op}, {@code value}). */
  public IngressFilter {
    if (path == null || path.isBlank()) {
      throw FieldErrors.field("path", "path is required, e.g. alert.labels.severity");
    }
    path = path.strip();
    if (path.length() > MAX_PATH_LENGTH) {
      throw FieldErrors.field(
          "path",
          "path must be at most " + MAX_PATH_LENGTH + " characters, got " + path.length());
    }
    try {
      PayloadPath.parse(path);
    } catch (IllegalArgumentException e) {
      throw FieldErrors.field("path", "path " + e.getMessage());
    }
    if (op == null) {
      throw FieldErrors.field("op", "op is required: eq, neq, exists or not_exists");
    }
    if (op == Op.EXISTS || op == Op.NOT_EXISTS) {
      value = null;
    } else if (value == null) {
      throw FieldErrors.field("value", "value is required for op " + op.wire());
    } else if (value instanceof String s) {
      if (s.length() > MAX_VALUE_LENGTH) {
        throw FieldErrors.field(
            "value", "value must be at most " + MAX_VALUE_LENGTH + " characters, got " + s.length());
      }
    } else if (value instanceof Number n) {
      if (decimal(n).isEmpty()) {
        throw FieldErrors.field("value", "value must be a finite number");
      }
    } else if (!(value instanceof Boolean)) {
      throw FieldErrors.field("value", "value must be a string, number or boolean");
    }
  }

  /** Reads {@code {path, op, value}}; a bad field throws a 422 naming it. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static IngressFilter fromJson(JsonNode node) {
    JsonFields.requireObject(node, "filter");
    String op = JsonFields.string(node, "op");
    return new IngressFilter(
        JsonFields.string(node, "path"), op == null ? null : Op.parse(op), JsonFields.scalar(node, "value"));
  }

  /** Whether the payload meets this condition. */
  public boolean matches(JsonNode payload) {
    Optional<JsonNode> found = PayloadPath.parse(path).resolve(payload).filter(n -> !n.isNull());
    return switch (op) {
      case EXISTS -> found.isPresent();
      case NOT_EXISTS -> found.isEmpty();
      case EQ -> found.map(this::equalsValue).orElse(false);
      case NEQ -> !found.map(this::equalsValue).orElse(false);
    };
  }

  private boolean equalsValue(JsonNode node) {
    if (value instanceof Boolean b) {
      return node.isBoolean() && node.booleanValue() == b;
    }
    if (value instanceof Number n) {
      Optional<BigDecimal> left = decimal(n);
      Optional<BigDecimal> right = number(node);
      return left.isPresent() && right.isPresent() && left.get().compareTo(right.get()) == 0;
    }
    String s = (String) value;
    if (node.isString()) {
      return node.stringValue().equals(s);
    }
    if (node.isNumber()) {
      Optional<BigDecimal> left = parse(s);
      Optional<BigDecimal> right = number(node);
      return left.isPresent() && right.isPresent() && left.get().compareTo(right.get()) == 0;
    }
    if (node.isBoolean()) {
      return String.valueOf(node.booleanValue()).equals(s);
    }
    return false;
  }

  private static Optional<BigDecimal> number(JsonNode node) {
    if (node.isNumber()) {
      return decimal(node.numberValue());
    }
    if (node.isString()) {
      return parse(node.stringValue());
    }
    return Optional.empty();
  }

  private static Optional<BigDecimal> decimal(Number n) {
    if (n instanceof BigDecimal d) {
      return Optional.of(d);
    }
    if (n instanceof Double || n instanceof Float) {
      double d = n.doubleValue();
      return Double.isFinite(d) ? Optional.of(BigDecimal.valueOf(d)) : Optional.empty();
    }
    if (n instanceof java.math.BigInteger i) {
      return Optional.of(new BigDecimal(i));
    }
    return Optional.of(BigDecimal.valueOf(n.longValue()));
  }

  private static Optional<BigDecimal> parse(String s) {
    String t = s.strip();
    if (t.isEmpty() || t.length() > 100 || !t.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d{1,4})?")) {
      return Optional.empty();
    }
    try {
      return Optional.of(new BigDecimal(t));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** How a filter compares. */
  public enum Op {
    EQ,
    NEQ,
    EXISTS,
    NOT_EXISTS;

    /** The wire name: {@code eq}, {@code neq}, {@code exists}, {@code not_exists}. */
    @JsonValue
    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a wire name.
     *
     * @throws DelegaException.ValidationFailed naming {@code op}
     */
    @JsonCreator
    public static Op parse(String text) {
      for (Op op : values()) {
        if (op.wire().equals(text)) {
          return op;
        }
      }
      throw FieldErrors.field("op", "op must be eq, neq, exists or not_exists, got '" + text + "'");
    }
  }
}
