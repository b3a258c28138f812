package dev.delega.client;

import dev.delega.api.Problem;

/** 5xx: the server failed or is unavailable. */
public final class ServerException extends DelegaApiException {
  ServerException(RawResponse response, Problem problem) {
    super(response, problem);
  }
}
