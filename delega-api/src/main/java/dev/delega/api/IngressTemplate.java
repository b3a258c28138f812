package dev.delega.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * How an ingress source turns a payload into a task: strings may use {@code {{payload.path}}}
 * placeholders; {@code dedupe_key} (also a template) makes repeated payloads update one task.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IngressTemplate(
    String content, String description, Integer priority, List<String> labels, String dedupeKey) {
  /** A template with only a content template. */
  public static IngressTemplate of(String content) {
    return new IngressTemplate(content, null, null, null, null);
  }
}
