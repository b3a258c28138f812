package dev.delega.server.internal;


/**
 * Builds the 422 a bad field of an automation, ingress source or recurrence turns into. Messages start with the field's path
 * ({@code actions[2].priority must …}) and the body carries the path as {@code field}.
 */
public final class FieldErrors {
  private FieldErrors() {}

  public static DelegaException.ValidationFailed field(String field, String message) {
    DelegaException.ValidationFailed e = new DelegaException.ValidationFailed(message);
    e.with("field", field);
    return e;
  }

  /** Re-issues a nested field's error under its parent: {@code priority …} becomes {@code actions[2].priority …}. */
  public static DelegaException.ValidationFailed nested(
      String parent, DelegaException.ValidationFailed inner) {
    String field = String.valueOf(inner.extra().get("field"));
    String path = parent + "." + field;
    String message = inner.getMessage();
    String rewritten =
        message.startsWith(field) ? path + message.substring(field.length()) : path + ": " + message;
    return field(path, rewritten);
  }
}
