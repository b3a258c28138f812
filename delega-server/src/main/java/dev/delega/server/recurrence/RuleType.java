package dev.delega.server.recurrence;

import dev.delega.server.internal.FieldErrors;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.delega.server.internal.DelegaException;
import java.util.Locale;

/** The period a recurrence repeats over: {@code daily}, {@code weekly}, {@code monthly} or {@code yearly}. */
public enum RuleType {
  DAILY,
  WEEKLY,
  MONTHLY,
  YEARLY;

  /** The lower-case name used on the wire and in storage. */
  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a wire name, case-insensitively and trimmed; the reference server's {@code day}, {@code
   * week}, {@code month} and {@code year} spellings are accepted too.
   *
   * @throws DelegaException.ValidationFailed naming {@code rule_type} for anything else
   */
  @JsonCreator
  public static RuleType parse(String text) {
    if (text == null || text.isBlank()) {
      throw FieldErrors.field("rule_type", "rule_type is required: daily, weekly, monthly or yearly");
    }
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "daily", "day" -> DAILY;
      case "weekly", "week" -> WEEKLY;
      case "monthly", "month" -> MONTHLY;
      case "yearly", "year", "annually" -> YEARLY;
      default ->
          throw FieldErrors.field(
              "rule_type",
              "rule_type must be daily, weekly, monthly or yearly, got '" + text.trim() + "'");
    };
  }
}
