package dev.delega.client;

import dev.delega.api.Problem;

/**
 * 403: the caller is known but may not do this. Code {@code claim_required} means the task is
 * claimable and must be claimed first ({@code POST /tasks/{id}/claim}).
 */
public final class ForbiddenException extends DelegaApiException {
  ForbiddenException(RawResponse response, Problem problem) {
    super(response, problem);
  }

  /** Whether the refusal is because the caller does not hold the task's claim. */
  public boolean claimRequired() {
    return "claim_required".equals(code());
  }
}
