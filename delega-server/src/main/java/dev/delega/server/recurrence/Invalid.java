package dev.delega.server.recurrence;

import dev.delega.server.internal.DelegaException;

/** Builds the 422 a bad recurrence field turns into, with the wire name of the field in the body. */
final class Invalid {
  private Invalid() {}

  static DelegaException.ValidationFailed field(String field, String message) {
    DelegaException.ValidationFailed e = new DelegaException.ValidationFailed(message);
    e.with("field", field);
    return e;
  }
}
