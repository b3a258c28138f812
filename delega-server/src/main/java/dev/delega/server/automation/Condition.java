package dev.delega.server.automation;

import dev.delega.server.internal.JsonFields;
import dev.delega.server.internal.FieldErrors;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.delega.server.internal.DelegaException;
import java.math.BigDecimal;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * One test an automation makes on the task an event is about: {@code {field, op, value}}.
 *
 * <p>Which ops each field takes (anything else is refused when the rule is saved): {@code label}
 * {@code has}/{@code not_has} a label (exact, case-sensitive); {@code priority} {@code
 * eq}/{@code neq}/{@code gte}/{@code lte} a number 1–4; {@code project_id}, {@code
 * assigned_to_agent_id}, {@code created_by_agent_id} {@code eq}/{@code neq} an id (a number or a
 * numeric string, stored as a number) or {@code is_null}/{@code not_null}; {@code source} {@code
 * eq}/{@code neq} a string or {@code is_null}/{@code not_null}. {@code neq} holds when the task's
 * value is {@code null}. Values are normalised: label and source to {@link String}, priority to
 * {@link Integer}, ids to {@link Long}, and dropped for {@code is_null}/{@code not_null}.
 *
 * @param field the task field
 * @param op the comparison
 * @param value what to compare with, see above
 */
public record Condition(Field field, Op op, Object value) {
  /** The longest accepted label or source value. */
  public static final int MAX_VALUE_LENGTH = 100;

  /** Validates the field/op pair and normalises the value; messages name the field. */
  public Condition {
    if (field == null) {
      throw FieldErrors.field("field", "field is required: label, priority, project_id, "
          + "assigned_to_agent_id, created_by_agent_id or source");
    }
    if (op == null) {
      throw FieldErrors.field("op", "op is required for field " + field.wire() + ": "
          + field.opsText());
    }
    if (!field.ops.contains(op)) {
      throw FieldErrors.field("op", "op " + op.wire() + " does not apply to field " + field.wire()
          + "; use " + field.opsText());
    }
    if (op == Op.IS_NULL || op == Op.NOT_NULL) {
      value = null;
    } else {
      value = switch (field) {
        case LABEL, SOURCE -> text(field, value);
        case PRIORITY -> priority(value);
        case PROJECT_ID, ASSIGNED_TO_AGENT_ID, CREATED_BY_AGENT_ID -> id(field, value);
      };
    }
  }

  /** Reads {@code {field, op, value?}}; a bad field throws a 422 naming it. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static Condition fromJson(JsonNode node) {
    JsonFields.requireObject(node, "condition");
    String field = JsonFields.string(node, "field");
    String op = JsonFields.string(node, "op");
    JsonNode v = JsonFields.get(node, "value");
    Object value;
    if (v == null) {
      value = null;
    } else if (v.isString()) {
      value = v.stringValue();
    } else if (v.isNumber()) {
      value = v.numberValue();
    } else {
      throw FieldErrors.field("value", "value must be a string or a number");
    }
    return new Condition(field == null ? null : Field.parse(field), op == null ? null : Op.parse(op),
        value);
  }

  /** Whether the subject passes this test. */
  public boolean matches(AutomationSubject s) {
    return switch (field) {
      case LABEL -> s.labels().contains((String) value) == (op == Op.HAS);
      case PRIORITY -> {
        int p = (Integer) value;
        yield switch (op) {
          case EQ -> s.priority() == p;
          case NEQ -> s.priority() != p;
          case GTE -> s.priority() >= p;
          case LTE -> s.priority() <= p;
          default -> throw new IllegalStateException(op.wire());
        };
      }
      case PROJECT_ID -> compare(s.projectId());
      case ASSIGNED_TO_AGENT_ID -> compare(s.assignedToAgentId());
      case CREATED_BY_AGENT_ID -> compare(s.createdByAgentId());
      case SOURCE -> compare(s.source());
    };
  }

  /** Whether this is the explicit {@code source eq ingress} opt-in to ingress tasks. */
  public boolean optsIntoIngress() {
    return field == Field.SOURCE && op == Op.EQ && AutomationSubject.INGRESS_SOURCE.equals(value);
  }

  private boolean compare(Object actual) {
    return switch (op) {
      case EQ -> Objects.equals(actual, value);
      case NEQ -> !Objects.equals(actual, value);
      case IS_NULL -> actual == null;
      case NOT_NULL -> actual != null;
      default -> throw new IllegalStateException(op.wire());
    };
  }

  private static String text(Field field, Object value) {
    if (value == null) {
      throw FieldErrors.field("value", "value is required for field " + field.wire());
    }
    String s;
    if (value instanceof String str) {
      s = str;
    } else if (value instanceof Number n) {
      s = plain(n);
    } else {
      throw FieldErrors.field("value", "value must be a string for field " + field.wire());
    }
    if (s.isBlank()) {
      throw FieldErrors.field("value", "value must not be blank for field " + field.wire());
    }
    if (s.length() > MAX_VALUE_LENGTH) {
      throw FieldErrors.field("value", "value must be at most " + MAX_VALUE_LENGTH + " characters, got "
          + s.length());
    }
    return s;
  }

  private static Integer priority(Object value) {
    Long n = integral(value);
    if (n == null || n < 1 || n > 4) {
      throw FieldErrors.field("value", "value must be a priority between 1 and 4 for field priority, got "
          + (value == null ? "nothing" : "'" + value + "'"));
    }
    return n.intValue();
  }

  private static Long id(Field field, Object value) {
    Long n = integral(value);
    if (n == null || n < 1) {
      throw FieldErrors.field("value", "value must be an id (a positive integer) for field "
          + field.wire() + ", got " + (value == null ? "nothing" : "'" + value + "'"));
    }
    return n;
  }

  private static Long integral(Object value) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      return ((Number) value).longValue();
    }
    if (value instanceof Number n) {
      try {
        return new BigDecimal(n.toString()).longValueExact();
      } catch (ArithmeticException | NumberFormatException e) {
        return null;
      }
    }
    if (value instanceof String s && s.strip().matches("-?\\d{1,18}")) {
      return Long.parseLong(s.strip());
    }
    return null;
  }

  private static String plain(Number n) {
    Long l = integral(n);
    return l != null ? l.toString() : n.toString();
  }

  /** The task field a condition tests. */
  public enum Field {
    LABEL(EnumSet.of(Op.HAS, Op.NOT_HAS)),
    PRIORITY(EnumSet.of(Op.EQ, Op.NEQ, Op.GTE, Op.LTE)),
    PROJECT_ID(EnumSet.of(Op.EQ, Op.NEQ, Op.IS_NULL, Op.NOT_NULL)),
    ASSIGNED_TO_AGENT_ID(EnumSet.of(Op.EQ, Op.NEQ, Op.IS_NULL, Op.NOT_NULL)),
    CREATED_BY_AGENT_ID(EnumSet.of(Op.EQ, Op.NEQ, Op.IS_NULL, Op.NOT_NULL)),
    SOURCE(EnumSet.of(Op.EQ, Op.NEQ, Op.IS_NULL, Op.NOT_NULL));

    private final Set<Op> ops;

    Field(Set<Op> ops) {
      this.ops = ops;
    }

    /** The ops this field accepts. */
    public Set<Op> ops() {
      return EnumSet.copyOf(ops);
    }

    private String opsText() {
      return String.join(", ", ops.stream().map(Op::wire).toList());
    }

    /** The wire name, e.g. {@code assigned_to_agent_id}. */
    @JsonValue
    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a wire name.
     *
     * @throws DelegaException.ValidationFailed naming {@code field}
     */
    @JsonCreator
    public static Field parse(String text) {
      for (Field f : values()) {
        if (f.wire().equals(text)) {
          return f;
        }
      }
      throw FieldErrors.field("field", "field must be label, priority, project_id, "
          + "assigned_to_agent_id, created_by_agent_id or source, got '" + text + "'");
    }
  }

  /** How a condition compares. */
  public enum Op {
    HAS,
    NOT_HAS,
    EQ,
    NEQ,
    GTE,
    LTE,
    IS_NULL,
    NOT_NULL;

    /** The wire name, e.g. {@code not_has}. */
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
      throw FieldErrors.field("op", "op must be has, not_has, eq, neq, gte, lte, is_null or not_null, "
          + "got '" + text + "'");
    }
  }
}
