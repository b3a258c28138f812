package dev.delega.client;

import dev.delega.api.Problem;

/**
 * 400 or 422: the request is malformed or a field is invalid (codes such as {@code bad_request},
 * {@code invalid_json}, {@code validation_failed}, {@code idempotency_mismatch}).
 */
public final class ValidationException extends DelegaApiException {
  ValidationException(RawResponse response, Problem problem) {
    super(response, problem);
  }
}
