package dev.delega.client;

import dev.delega.api.Problem;

/** 401: the request has no key, or a key that does not identify an active agent. */
public final class AuthenticationException extends DelegaApiException {
  AuthenticationException(RawResponse response, Problem problem) {
    super(response, problem);
  }
}
