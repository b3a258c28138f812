package dev.delega.client;

import dev.delega.api.Problem;

/** 413: the body or one of its fields is larger than the server allows. */
public final class PayloadTooLargeException extends DelegaApiException {
  PayloadTooLargeException(RawResponse response, Problem problem) {
    super(response, problem);
  }
}
