package dev.delega.client;

import dev.delega.api.Problem;

/** 412: an {@code If-Match} precondition did not hold; the task changed since it was read. */
public final class PreconditionFailedException extends DelegaApiException {
  PreconditionFailedException(RawResponse response, Problem problem) {
    super(response, problem);
  }
}
