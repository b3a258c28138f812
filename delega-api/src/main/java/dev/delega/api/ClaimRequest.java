package dev.delega.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The body of {@code POST /tasks/claim} (queue claim, with optional filters) and {@code POST
 * /tasks/{id}/claim} (targeted claim, lease only); null fields are not sent. {@code lease_seconds}
 * is 30 to 3600, default 300.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClaimRequest(Integer leaseSeconds, Long projectId, List<String> labels) {
  /** A claim with the server's default lease and no filters. */
  public static ClaimRequest defaults() {
    return new ClaimRequest(null, null, null);
  }

  /** A claim with the given lease. */
  public static ClaimRequest lease(int leaseSeconds) {
    return new ClaimRequest(leaseSeconds, null, null);
  }

  /** This claim restricted to one project (queue claims only). */
  public ClaimRequest withProjectId(long projectId) {
    return new ClaimRequest(leaseSeconds, projectId, labels);
  }

  /** This claim restricted to tasks carrying these labels (queue claims only). */
  public ClaimRequest withLabels(List<String> labels) {
    return new ClaimRequest(leaseSeconds, projectId, labels);
  }
}
