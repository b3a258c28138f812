package dev.delega.api;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A partial update body: only the fields that were set are written, and a field set to {@code null}
 * is written as an explicit JSON {@code null} (which clears it), so "absent" and "null" stay
 * distinct. Keys are the snake_case wire names.
 *
 * @param <U> the concrete update type, returned by the fluent setters
 */
public abstract class FieldUpdate<U extends FieldUpdate<U>> {
  private final Map<String, Object> fields = new LinkedHashMap<>();

  /** An empty update. */
  protected FieldUpdate() {}

  /** An update holding the given wire fields, for example as read from a request body. */
  protected FieldUpdate(Map<String, ?> fields) {
    this.fields.putAll(fields);
  }

  /** The fields that were set, in the order they were set; values may be null. */
  @JsonValue
  public Map<String, Object> fields() {
    return Collections.unmodifiableMap(fields);
  }

  /** Sets a field by its wire name; {@code null} sends an explicit null. */
  public U set(String field, Object value) {
    fields.put(Objects.requireNonNull(field, "field"), value);
    return self();
  }

  /** Removes a field so that it is not sent at all. */
  public U unset(String field) {
    fields.remove(field);
    return self();
  }

  /** Whether the field is part of this update (possibly as an explicit null). */
  public boolean has(String field) {
    return fields.containsKey(field);
  }

  /** The value set for a field, or null when it is absent or explicitly null. */
  public Object get(String field) {
    return fields.get(field);
  }

  /** Whether no field is set. */
  public boolean isEmpty() {
    return fields.isEmpty();
  }

  @SuppressWarnings("unchecked")
  private U self() {
    return (U) this;
  }

  @Override
  public boolean equals(Object o) {
    return o != null && o.getClass() == getClass() && ((FieldUpdate<?>) o).fields.equals(fields);
  }

  @Override
  public int hashCode() {
    return fields.hashCode();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + fields;
  }
}
