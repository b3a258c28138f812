package dev.delega.server.ingress;

import dev.delega.server.internal.DelegaException;

/**
 * Builds the 422 a bad ingress-source field turns into. Messages start with the field's path
 * ({@code filters[2].path must …}) and the body carries the path as {@code field}.
 */
final class Invalid {
  private Invalid() {}

  static DelegaException.ValidationFailed field(String field, String message) {
    DelegaException.ValidationFailed e = new DelegaException.ValidationFailed(message);
    e.with("field", field);
    return e;
  }

  /** Re-issues a nested field's error under its parent: {@code path …} becomes {@code filters[2].path …}. */
  static DelegaException.ValidationFailed nested(
      String parent, DelegaException.ValidationFailed inner) {
    String field = String.valueOf(inner.extra().get("field"));
    String path = parent + "." + field;
    String message = inner.getMessage();
    String rewritten =
        message.startsWith(field) ? path + message.substring(field.length()) : path + ": " + message;
    return field(path, rewritten);
  }
}
