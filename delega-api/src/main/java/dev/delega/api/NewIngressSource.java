package dev.delega.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The body of {@code POST /ingress-sources}; the server generates the secret and returns it once.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NewIngressSource(
    String name,
    IngressTemplate template,
    List<IngressFilter> filters,
    Long defaultProjectId,
    Long defaultAssigneeAgentId,
    Boolean active) {

  /** An active source without filters or defaults. */
  public static NewIngressSource of(String name, IngressTemplate template) {
    return new NewIngressSource(name, template, null, null, null, null);
  }
}
