package dev.delega.client;

import dev.delega.api.Problem;

/** 404: no such resource, or one the caller may not see. */
public final class NotFoundException extends DelegaApiException {
  NotFoundException(RawResponse response, Problem problem) {
    super(response, problem);
  }
}
